/**
 * MLflow REST API 2.0 client (https://mlflow.org/docs/latest/rest-api.html).
 * Artifacts go through the tracking server's artifact proxy
 * (`PUT /api/2.0/mlflow-artifacts/artifacts/<path>`, servers started with artifact serving,
 * the default since MLflow 2.0), resolving the run's `mlflow-artifacts:/...` artifact_uri.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { INVALID_STATE, RESOURCE_DOES_NOT_EXIST, TrackingError } from '../client/errors.ts';
import type {
  CreateRunRequest,
  Experiment,
  KeyValue,
  LogBatchRequest,
  Metric,
  Run,
  RunInfo,
  RunStatus,
  SearchRunsRequest,
  SearchRunsResponse,
  TrackingClient,
  UpdateRunRequest,
} from '../client/types.ts';
import { validateBatch, validateKey } from '../client/validation.ts';
import { HttpTransport, type HttpOptions } from './http.ts';
import { parseInt64, parseMlflowDouble } from './json-values.ts';
import { splitBatch } from './split-batch.ts';

const API = '/api/2.0/mlflow';
const ARTIFACTS_API = '/api/2.0/mlflow-artifacts/artifacts';

type Json = Record<string, any>;

function toExperiment(e: Json): Experiment {
  return {
    experimentId: String(e.experiment_id),
    name: String(e.name),
    artifactLocation: String(e.artifact_location ?? ''),
    lifecycleStage: e.lifecycle_stage ?? 'active',
    creationTime: parseInt64(e.creation_time),
    lastUpdateTime: parseInt64(e.last_update_time),
  };
}

function toRunInfo(i: Json): RunInfo {
  return {
    runId: String(i.run_id ?? i.run_uuid),
    experimentId: String(i.experiment_id),
    runName: String(i.run_name ?? ''),
    userId: String(i.user_id ?? ''),
    status: (i.status ?? 'RUNNING') as RunStatus,
    startTime: parseInt64(i.start_time) ?? 0,
    endTime: parseInt64(i.end_time),
    artifactUri: String(i.artifact_uri ?? ''),
    lifecycleStage: i.lifecycle_stage ?? 'active',
  };
}

function toMetric(m: Json): Metric {
  return { key: String(m.key), value: parseMlflowDouble(m.value), timestamp: parseInt64(m.timestamp) ?? 0, step: parseInt64(m.step) ?? 0 };
}

function toKeyValues(list: unknown): KeyValue[] {
  return ((list as Json[] | undefined) ?? []).map((kv) => ({ key: String(kv.key), value: String(kv.value ?? '') }));
}

function toRun(r: Json): Run {
  const info = toRunInfo(r.info ?? {});
  const tags = toKeyValues(r.data?.tags);
  if (!info.runName) info.runName = tags.find((t) => t.key === 'mlflow.runName')?.value ?? '';
  return { info, metrics: ((r.data?.metrics as Json[]) ?? []).map(toMetric), params: toKeyValues(r.data?.params), tags };
}

function metricJson(m: Metric): Json {
  return { key: m.key, value: m.value, timestamp: m.timestamp, step: m.step };
}

export class RestClient implements TrackingClient {
  readonly uri: string;
  private readonly http: HttpTransport;
  private readonly artifactUris = new Map<string, string>();

  constructor(uri: string, options: Omit<HttpOptions, 'baseUrl'> = {}) {
    this.uri = uri.replace(/\/+$/, '');
    this.http = new HttpTransport({ ...options, baseUrl: this.uri });
  }

  private get(path: string, query: Record<string, string | number | undefined>): Promise<Json> {
    return this.http.request('GET', `${API}/${path}`, { query }) as Promise<Json>;
  }

  private post(path: string, json: Json): Promise<Json> {
    return this.http.request('POST', `${API}/${path}`, { json }) as Promise<Json>;
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const data = await this.get('experiments/get-by-name', { experiment_name: name });
      return toExperiment(data.experiment);
    } catch (error) {
      if (error instanceof TrackingError && error.errorCode === RESOURCE_DOES_NOT_EXIST) return undefined;
      throw error;
    }
  }

  async createExperiment(name: string): Promise<string> {
    const data = await this.post('experiments/create', { name });
    return String(data.experiment_id);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const data = await this.get('experiments/get', { experiment_id: experimentId });
    return toExperiment(data.experiment);
  }

  async searchExperiments(): Promise<Experiment[]> {
    const out: Experiment[] = [];
    let pageToken: string | undefined;
    do {
      const data = await this.post('experiments/search', { max_results: 1000, view_type: 'ACTIVE_ONLY', page_token: pageToken });
      out.push(...((data.experiments as Json[]) ?? []).map(toExperiment));
      pageToken = data.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    const data = await this.post('runs/create', {
      experiment_id: request.experimentId,
      run_name: request.runName,
      start_time: request.startTime,
      user_id: request.userId,
      tags: request.tags ?? [],
    });
    const info = toRunInfo(data.run.info);
    this.artifactUris.set(info.runId, info.artifactUri);
    return info;
  }

  async updateRun(runId: string, update: UpdateRunRequest): Promise<void> {
    await this.post('runs/update', {
      run_id: runId,
      run_uuid: runId,
      status: update.status,
      end_time: update.endTime,
      run_name: update.runName,
    });
  }

  async getRun(runId: string): Promise<Run> {
    const data = await this.get('runs/get', { run_id: runId });
    return toRun(data.run);
  }

  async searchRuns(request: SearchRunsRequest): Promise<SearchRunsResponse> {
    const data = await this.post('runs/search', {
      experiment_ids: request.experimentIds,
      filter: request.filter ?? '',
      run_view_type: 'ACTIVE_ONLY',
      max_results: request.maxResults ?? 1000,
      page_token: request.pageToken,
    });
    return { runs: ((data.runs as Json[]) ?? []).map(toRun), nextPageToken: data.next_page_token || undefined };
  }

  /** One request per chunk of at most 1000 metrics / 100 params / 100 tags. */
  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    for (const chunk of splitBatch(batch)) await this.logBatchChunk(runId, chunk);
  }

  /** Sends one chunk that already respects the limits (the buffered client journals chunks). */
  async logBatchChunk(runId: string, chunk: LogBatchRequest): Promise<void> {
    validateBatch(chunk);
    await this.post('runs/log-batch', {
      run_id: runId,
      metrics: (chunk.metrics ?? []).map(metricJson),
      params: chunk.params ?? [],
      tags: chunk.tags ?? [],
    });
  }

  async logMetric(runId: string, metric: Metric): Promise<void> {
    await this.post('runs/log-metric', { run_id: runId, run_uuid: runId, ...metricJson(metric) });
  }

  async logParam(runId: string, key: string, value: string): Promise<void> {
    await this.post('runs/log-parameter', { run_id: runId, run_uuid: runId, key, value });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.post('runs/set-tag', { run_id: runId, run_uuid: runId, key, value });
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const out: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const data = await this.get('metrics/get-history', { run_id: runId, run_uuid: runId, metric_key: key, max_results: 25000, page_token: pageToken });
      out.push(...((data.metrics as Json[]) ?? []).map(toMetric));
      pageToken = data.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  /** The proxy path (`<experiment_id>/<run_id>/artifacts`) for the run's artifact_uri. */
  private async artifactProxyPath(runId: string): Promise<string> {
    let uri = this.artifactUris.get(runId);
    if (!uri) {
      uri = (await this.getRun(runId)).info.artifactUri;
      this.artifactUris.set(runId, uri);
    }
    const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(uri);
    if (proxied) return proxied[1]!.replace(/\/+$/, '');
    const marker = uri.indexOf(`${ARTIFACTS_API}/`);
    if (/^https?:/.test(uri) && marker >= 0) return uri.slice(marker + ARTIFACTS_API.length + 1).replace(/\/+$/, '');
    throw new TrackingError(
      INVALID_STATE,
      `run ${runId} has artifact_uri '${uri}', which this client cannot upload to; start the MLflow server with artifact serving (--serve-artifacts, the default since MLflow 2.0) so artifacts go through ${ARTIFACTS_API}`,
    );
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    if (artifactPath) validateKey('artifact path', artifactPath);
    const base = await this.artifactProxyPath(runId);
    const rel = [artifactPath, basename(localPath)].filter(Boolean).join('/');
    const encoded = `${base}/${rel}`.split('/').map(encodeURIComponent).join('/');
    await this.http.request('PUT', `${ARTIFACTS_API}/${encoded}`, { body: readFileSync(localPath) });
  }

  async listArtifacts(runId: string): Promise<string[]> {
    const base = await this.artifactProxyPath(runId);
    const out: string[] = [];
    const walk = async (rel: string) => {
      const data = (await this.http.request('GET', ARTIFACTS_API, { query: { path: rel ? `${base}/${rel}` : base } })) as Json;
      for (const f of (data.files as Json[]) ?? []) {
        const name = String(f.path).split('/').pop()!;
        const child = rel ? `${rel}/${name}` : name;
        if (f.is_dir) await walk(child);
        else out.push(child);
      }
    };
    await walk('');
    return out.sort();
  }

  async close(): Promise<void> {}
}
