/**
 * An in-process HTTP server (node:http, 127.0.0.1, random port) that follows the documented
 * MLflow REST API 2.0 semantics the client relies on (https://mlflow.org/docs/latest/rest-api.html):
 * error bodies {error_code, message} with MLflow's HTTP statuses, log-batch limits
 * (1000 metrics / 100 params / 100 tags / 1000 total), immutable params, overwriting tags,
 * appended metrics, NaN/±Infinity as "NaN"/"Infinity"/"-Infinity", run artifact_uri
 * `mlflow-artifacts:/<exp>/<run>/artifacts` served by the artifact proxy.
 * Test controls: required Authorization header, injected 429/503 answers, dropped connections.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { parseSearchFilter, runMatches } from '../../src/client/search-filter.ts';
import { parseMlflowDouble, stringifyMlflowJson } from '../../src/rest/json-values.ts';
import type { KeyValue, Metric, Run } from '../../src/client/types.ts';

interface FakeRun {
  info: { run_id: string; run_uuid: string; experiment_id: string; run_name: string; user_id: string; status: string; start_time: number; end_time?: number; artifact_uri: string; lifecycle_stage: string };
  metrics: Metric[];
  params: Map<string, string>;
  tags: Map<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export class FakeMlflowServer {
  readonly requests: RecordedRequest[] = [];
  readonly experiments = new Map<string, { experiment_id: string; name: string; artifact_location: string; lifecycle_stage: string; creation_time: number; last_update_time: number }>();
  readonly runs = new Map<string, FakeRun>();
  readonly artifacts = new Map<string, Buffer>();
  requiredAuthorization?: string;
  private injected: { status: number | 'drop'; headers?: Record<string, string> }[] = [];
  private downFlag = false;
  private answersBeforeDown?: number;
  private server?: Server;
  private nextExperimentId = 1;

  constructor() {
    this.experiments.set('0', { experiment_id: '0', name: 'Default', artifact_location: 'mlflow-artifacts:/0', lifecycle_stage: 'active', creation_time: 0, last_update_time: 0 });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The next `count` requests get this answer (a status, or 'drop' to cut the connection). */
  inject(count: number, status: number | 'drop', headers?: Record<string, string>): void {
    for (let i = 0; i < count; i++) this.injected.push({ status, headers });
  }

  /** While down, every connection is cut (the server looks unreachable). */
  setDown(down: boolean): void {
    this.downFlag = down;
  }

  /** Answer `count` more requests, then go down. */
  downAfter(count: number): void {
    this.answersBeforeDown = count;
  }

  /** Requests to one endpoint (e.g. 'runs/log-batch'). */
  calls(endpoint: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith(endpoint));
  }

  metricHistory(runId: string, key: string): Metric[] {
    return this.runs.get(runId)!.metrics.filter((m) => m.key === key);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url!, 'http://x');
    if (this.answersBeforeDown !== undefined && this.answersBeforeDown-- <= 0) {
      this.answersBeforeDown = undefined;
      this.downFlag = true;
    }
    if (this.downFlag) {
      res.socket?.destroy();
      return;
    }
    const injected = this.injected.shift();
    if (injected?.status === 'drop') {
      res.socket?.destroy();
      return;
    }
    const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
    const body = isJson && raw.length ? JSON.parse(raw.toString('utf8')) : raw;
    this.requests.push({ method: req.method!, path: url.pathname, headers: req.headers, body });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(stringifyMlflowJson(data));
    };
    if (injected) {
      send(injected.status as number, { error_code: injected.status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : 'TEMPORARILY_UNAVAILABLE', message: 'injected' }, injected.headers);
      return;
    }
    try {
      if (this.requiredAuthorization && req.headers.authorization !== this.requiredAuthorization) {
        throw new ApiError(401, 'UNAUTHENTICATED', 'You are not authenticated. Please provide valid credentials.');
      }
      send(200, this.route(req.method!, url, body, raw));
    } catch (error) {
      if (error instanceof ApiError) send(error.status, { error_code: error.code, message: error.message });
      else send(500, { error_code: 'INTERNAL_ERROR', message: String(error) });
    }
  }

  private run(runId: string | undefined): FakeRun {
    const run = runId ? this.runs.get(runId) : undefined;
    if (!run) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${runId}' not found`);
    return run;
  }

  private runJson(run: FakeRun): unknown {
    const latest = new Map<string, Metric>();
    for (const m of run.metrics) {
      const best = latest.get(m.key);
      if (!best || m.step > best.step || (m.step === best.step && m.timestamp >= best.timestamp)) latest.set(m.key, m);
    }
    const kv = (map: Map<string, string>) => [...map].map(([key, value]) => ({ key, value }));
    return { info: run.info, data: { metrics: [...latest.values()], params: kv(run.params), tags: kv(run.tags) } };
  }

  private toRun(run: FakeRun): Run {
    const kv = (map: Map<string, string>): KeyValue[] => [...map].map(([key, value]) => ({ key, value }));
    return {
      info: { runId: run.info.run_id, experimentId: run.info.experiment_id, runName: run.info.run_name, userId: run.info.user_id, status: run.info.status as Run['info']['status'], startTime: run.info.start_time, artifactUri: run.info.artifact_uri, lifecycleStage: 'active' },
      metrics: run.metrics,
      params: kv(run.params),
      tags: kv(run.tags),
    };
  }

  private logBatch(run: FakeRun, metrics: any[], params: any[], tags: any[]): void {
    const limit = (entity: string, max: number, n: number) => {
      if (n > max) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `A batch logging request can contain at most ${max} ${entity}. Got ${n} ${entity}. Please split up ${entity} across multiple requests and try again.`);
    };
    limit('metrics', 1000, metrics.length);
    limit('params', 100, params.length);
    limit('tags', 100, tags.length);
    limit('metrics, params, and tags', 1000, metrics.length + params.length + tags.length);
    for (const p of params) {
      const current = run.params.get(p.key);
      if (current !== undefined && current !== p.value) {
        throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${current}' for run ID='${run.info.run_id}'. Attempted logging new value '${p.value}'.`);
      }
    }
    for (const p of params) run.params.set(p.key, p.value);
    for (const m of metrics) {
      if (m.value === undefined || m.value === null) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Missing value for required parameter 'value'.`);
      run.metrics.push({ key: m.key, value: parseMlflowDouble(m.value), timestamp: Number(m.timestamp), step: Number(m.step ?? 0) });
    }
    for (const t of tags) run.tags.set(t.key, t.value);
  }

  private route(method: string, url: URL, body: any, raw: Buffer): unknown {
    const path = url.pathname;
    const q = (name: string) => url.searchParams.get(name) ?? undefined;
    if (path.startsWith('/api/2.0/mlflow-artifacts/artifacts')) {
      const rel = decodeURIComponent(path.slice('/api/2.0/mlflow-artifacts/artifacts'.length).replace(/^\//, ''));
      if (method === 'PUT') {
        this.artifacts.set(rel, raw);
        return {};
      }
      if (method === 'GET' && rel === '') {
        const prefix = `${q('path')}/`;
        const names = new Map<string, boolean>();
        for (const key of this.artifacts.keys()) {
          if (!key.startsWith(prefix)) continue;
          const [first, ...more] = key.slice(prefix.length).split('/');
          names.set(first!, more.length > 0);
        }
        return { files: [...names].map(([name, isDir]) => ({ path: name, is_dir: isDir, file_size: isDir ? undefined : 1 })) };
      }
    }
    const endpoint = path.replace('/api/2.0/mlflow/', '');
    switch (`${method} ${endpoint}`) {
      case 'GET experiments/get-by-name': {
        const e = [...this.experiments.values()].find((x) => x.name === q('experiment_name'));
        if (!e) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${q('experiment_name')}'`);
        return { experiment: e };
      }
      case 'GET experiments/get': {
        const e = this.experiments.get(q('experiment_id') ?? '');
        if (!e) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Could not find experiment with ID ${q('experiment_id')}`);
        return { experiment: e };
      }
      case 'POST experiments/search':
        return { experiments: [...this.experiments.values()] };
      case 'POST experiments/create': {
        if (!body.name) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'name'.");
        if ([...this.experiments.values()].some((x) => x.name === body.name)) throw new ApiError(400, 'RESOURCE_ALREADY_EXISTS', `Experiment '${body.name}' already exists.`);
        const id = String(this.nextExperimentId++);
        this.experiments.set(id, { experiment_id: id, name: body.name, artifact_location: `mlflow-artifacts:/${id}`, lifecycle_stage: 'active', creation_time: Date.now(), last_update_time: Date.now() });
        return { experiment_id: id };
      }
      case 'POST runs/create': {
        const exp = this.experiments.get(body.experiment_id);
        if (!exp) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Could not find experiment with ID ${body.experiment_id}`);
        const id = randomUUID().replace(/-/g, '');
        const run: FakeRun = {
          info: { run_id: id, run_uuid: id, experiment_id: exp.experiment_id, run_name: body.run_name, user_id: body.user_id ?? '', status: 'RUNNING', start_time: body.start_time, artifact_uri: `${exp.artifact_location}/${id}/artifacts`, lifecycle_stage: 'active' },
          metrics: [],
          params: new Map(),
          tags: new Map((body.tags ?? []).map((t: KeyValue) => [t.key, t.value])),
        };
        run.tags.set('mlflow.runName', body.run_name);
        this.runs.set(id, run);
        return { run: this.runJson(run) };
      }
      case 'POST runs/update': {
        const run = this.run(body.run_id);
        if (body.status) run.info.status = body.status;
        if (body.end_time !== undefined) run.info.end_time = body.end_time;
        if (body.run_name) run.info.run_name = body.run_name;
        return { run_info: run.info };
      }
      case 'GET runs/get':
        return { run: this.runJson(this.run(q('run_id'))) };
      case 'POST runs/search': {
        const comparisons = parseSearchFilter(body.filter);
        const found = [...this.runs.values()].filter((r) => body.experiment_ids.includes(r.info.experiment_id) && runMatches(this.toRun(r), comparisons));
        const max = body.max_results ?? 1000;
        const offset = body.page_token ? Number(body.page_token) : 0;
        const page = found.slice(offset, offset + max);
        return { runs: page.map((r) => this.runJson(r)), next_page_token: offset + max < found.length ? String(offset + max) : undefined };
      }
      case 'POST runs/log-batch':
        this.logBatch(this.run(body.run_id), body.metrics ?? [], body.params ?? [], body.tags ?? []);
        return {};
      case 'POST runs/log-metric':
        this.logBatch(this.run(body.run_id), [body], [], []);
        return {};
      case 'POST runs/log-parameter':
        this.logBatch(this.run(body.run_id), [], [body], []);
        return {};
      case 'POST runs/set-tag':
        this.logBatch(this.run(body.run_id), [], [], [body]);
        return {};
      case 'GET metrics/get-history':
        return { metrics: this.run(q('run_id')).metrics.filter((m) => m.key === q('metric_key')) };
      default:
        throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No endpoint ${method} ${path}`);
    }
  }
}
