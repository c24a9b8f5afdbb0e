/**
 * Wraps the REST client: while the server answers, calls go straight through; once a write
 * fails because the server is unreachable (network error or 429/5xx after every retry), the
 * client switches to offline mode for the rest of its life and journals every later write
 * (in order) to disk. Runs and experiments created offline get local ids (`local-...`) that
 * `tunekit tracking sync` maps to server ids. Reads about local ids, or any read while
 * offline, throw TrackingUnavailableError.
 */
import * as fs from 'node:fs';
import { basename, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TrackingUnavailableError } from '../client/errors.ts';
import type {
  CreateRunRequest,
  Experiment,
  LogBatchRequest,
  Metric,
  Run,
  RunInfo,
  SearchRunsRequest,
  SearchRunsResponse,
  TrackingClient,
  UpdateRunRequest,
} from '../client/types.ts';
import { validateBatch, validateKey } from '../client/validation.ts';
import { splitBatch } from '../rest/split-batch.ts';
import type { RestClient } from '../rest/rest-client.ts';
import { Journal, newJournalPath, type JournalOp } from './journal.ts';

/** Tag carried by every run created through the buffered client, so sync can find it again. */
export const CLIENT_RUN_ID_TAG = 'tunekit.client_run_id';

export interface BufferedClientOptions {
  bufferDir: string;
  onOffline?: (error: Error, journalPath: string) => void;
}

export class BufferedRestClient implements TrackingClient {
  readonly uri: string;
  private offlineSince?: Error;
  private journal?: Journal;

  constructor(private readonly rest: RestClient, private readonly options: BufferedClientOptions) {
    this.uri = rest.uri;
  }

  get offline(): boolean {
    return this.offlineSince !== undefined;
  }

  get journalPath(): string | undefined {
    return this.journal?.path;
  }

  private goOffline(error: Error): void {
    if (this.offlineSince) return;
    this.offlineSince = error;
    this.journal = new Journal(newJournalPath(this.options.bufferDir), this.uri);
    this.options.onOffline?.(error, this.journal.path);
  }

  private record(op: JournalOp): void {
    this.journal!.append({ op });
  }

  /** Runs `online` unless offline; on unavailability journals `op()` instead. */
  private async write(online: () => Promise<void>, op: () => JournalOp): Promise<void> {
    if (!this.offline) {
      try {
        await online();
        return;
      } catch (error) {
        if (!(error instanceof TrackingUnavailableError)) throw error;
        this.goOffline(error);
      }
    }
    this.record(op());
  }

  private async read<T>(what: string, ids: string[], call: () => Promise<T>): Promise<T> {
    if (this.offline || ids.some((id) => id.startsWith('local-'))) {
      throw new TrackingUnavailableError(`${what}: the MLflow server at ${this.uri} is offline for this run (${this.offlineSince?.message ?? 'local id'})`);
    }
    return call();
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    if (this.offline) return Promise.resolve(undefined);
    return this.rest.getExperimentByName(name).catch((error: unknown) => {
      if (!(error instanceof TrackingUnavailableError)) throw error;
      this.goOffline(error);
      return undefined;
    });
  }

  async createExperiment(name: string): Promise<string> {
    let id: string | undefined;
    await this.write(
      async () => {
        id = await this.rest.createExperiment(name);
      },
      () => {
        id = `local-exp-${randomUUID().replace(/-/g, '')}`;
        return { id: randomUUID(), type: 'createExperiment', localExperimentId: id, name };
      },
    );
    return id!;
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.read('getExperiment', [experimentId], () => this.rest.getExperiment(experimentId));
  }

  searchExperiments(): Promise<Experiment[]> {
    return this.read('searchExperiments', [], () => this.rest.searchExperiments());
  }

  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    const localRunId = `local-${randomUUID().replace(/-/g, '')}`;
    const tagged: CreateRunRequest = { ...request, tags: [...(request.tags ?? []), { key: CLIENT_RUN_ID_TAG, value: localRunId }] };
    let info: RunInfo | undefined;
    await this.write(
      async () => {
        if (request.experimentId.startsWith('local-')) throw new TrackingUnavailableError('experiment was created offline');
        info = await this.rest.createRun(tagged);
      },
      () => {
        info = {
          runId: localRunId,
          experimentId: request.experimentId,
          runName: request.runName,
          userId: request.userId ?? '',
          status: 'RUNNING',
          startTime: request.startTime,
          artifactUri: '',
          lifecycleStage: 'active',
        };
        return { id: randomUUID(), type: 'createRun', localRunId, request: tagged };
      },
    );
    return info!;
  }

  async updateRun(runId: string, update: UpdateRunRequest): Promise<void> {
    await this.write(
      () => this.rest.updateRun(runId, update),
      () => ({ id: randomUUID(), type: 'updateRun', runId, update }),
    );
  }

  getRun(runId: string): Promise<Run> {
    return this.read('getRun', [runId], () => this.rest.getRun(runId));
  }

  searchRuns(request: SearchRunsRequest): Promise<SearchRunsResponse> {
    return this.read('searchRuns', request.experimentIds, () => this.rest.searchRuns(request));
  }

  /** Chunk by chunk, so a failure in the middle journals only what was not delivered. */
  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    for (const chunk of splitBatch(batch)) {
      validateBatch(chunk);
      await this.write(
        async () => {
          if (runId.startsWith('local-')) throw new TrackingUnavailableError('run was created offline');
          await this.rest.logBatchChunk(runId, chunk);
        },
        () => ({ id: randomUUID(), type: 'logBatch', runId, batch: chunk }),
      );
    }
  }

  logMetric(runId: string, metric: Metric): Promise<void> {
    return this.logBatch(runId, { metrics: [metric] });
  }

  logParam(runId: string, key: string, value: string): Promise<void> {
    return this.logBatch(runId, { params: [{ key, value }] });
  }

  setTag(runId: string, key: string, value: string): Promise<void> {
    return this.logBatch(runId, { tags: [{ key, value }] });
  }

  getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return this.read('getMetricHistory', [runId], () => this.rest.getMetricHistory(runId, key));
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    if (artifactPath) validateKey('artifact path', artifactPath);
    await this.write(
      async () => {
        if (runId.startsWith('local-')) throw new TrackingUnavailableError('run was created offline');
        await this.rest.logArtifact(runId, localPath, artifactPath);
      },
      () => {
        const id = randomUUID();
        const copy = join(this.journal!.filesDir, id, basename(localPath));
        fs.mkdirSync(join(this.journal!.filesDir, id), { recursive: true });
        fs.copyFileSync(localPath, copy);
        return { id, type: 'logArtifact', runId, file: copy, artifactPath };
      },
    );
  }

  listArtifacts(runId: string): Promise<string[]> {
    return this.read('listArtifacts', [runId], () => this.rest.listArtifacts(runId));
  }

  async close(): Promise<void> {
    this.journal?.release();
  }
}
