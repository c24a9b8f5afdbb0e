/**
 * One pipeline run → one MLflow parent run; each stage → one nested run (`mlflow.parentRunId`).
 * Events are applied in order through one internal queue; an observer never throws into the
 * runner: failures go to `onError` and tracking for the run carries on where it can.
 * Metrics are buffered per stage and written in batches (every `metricFlushMs`, at stage end,
 * and whenever 1000 are pending).
 */
import * as fs from 'node:fs';
import { basename, join, relative } from 'node:path';
import type {
  RunFinishedEvent,
  RunObserver,
  RunStartedEvent,
  StageArtifactEvent,
  StageFinishedEvent,
  StageMetricEvent,
  StageStartedEvent,
  StageTagEvent,
} from '@tunekit/pipeline';
import { createTrackingClient, type ClientOptions } from '../client/create-client.ts';
import { quoteFilterValue } from '../client/search-filter.ts';
import { getOrCreateExperiment, searchAllRuns, tagValue, type KeyValue, type LogBatchRequest, type Metric, type RunStatus, type TrackingClient } from '../client/types.ts';
import { MAX_TAG_VAL_LENGTH } from '../client/validation.ts';
import { splitBatch } from '../rest/split-batch.ts';
import { currentUser } from '../file-store/file-store.ts';
import { flattenParams, toMlflowKey } from './flatten-params.ts';
import * as T from './tag-names.ts';

export interface TrackingObserverOptions extends Omit<ClientOptions, 'uri'> {
  /** Default tracking URI when neither MLFLOW_TRACKING_URI nor the pipeline's tracking.uri is set. */
  uri?: string;
  /** Use this client instead of creating one from the URI (tests, tools). */
  client?: TrackingClient;
  onError?: (error: Error, context: string) => void;
  /** How long metrics may wait before being written (default 1000 ms). */
  metricFlushMs?: number;
}

export interface TrackingObserver extends RunObserver {
  /** Resolves when every event received so far has been applied. */
  flush(): Promise<void>;
  /** MLflow ids of the current run (for tools and tests). */
  readonly ids: { experimentId?: string; parentRunId?: string; stages: Record<string, string> };
}

interface StageState {
  runId?: string;
  pending: Metric[];
  finished?: boolean;
}

const STAGE_STATUS: Record<StageFinishedEvent['status'], RunStatus> = {
  ran: 'FINISHED',
  cached: 'FINISHED',
  failed: 'FAILED',
  skipped: 'KILLED',
};

const RUN_STATUS: Record<RunFinishedEvent['status'], RunStatus> = {
  succeeded: 'FINISHED',
  failed: 'FAILED',
  interrupted: 'KILLED',
};

const MAX_PENDING = 1000;

function clip(text: string): string {
  return text.length > MAX_TAG_VAL_LENGTH ? `${text.slice(0, MAX_TAG_VAL_LENGTH - 3)}...` : text;
}

export function createTrackingObserver(options: TrackingObserverOptions): TrackingObserver {
  const onError =
    options.onError ?? ((error: Error, context: string) => process.stderr.write(`[tracking] ${context}: ${error.message}\n`));
  const flushMs = options.metricFlushMs ?? 1000;
  let queue: Promise<void> = Promise.resolve();
  let client: TrackingClient | undefined;
  let disabled = false;
  let run: RunStartedEvent | undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  const stages = new Map<string, StageState>();
  const ids: TrackingObserver['ids'] = { stages: {} };

  const enqueue = (context: string, task: () => Promise<void>): Promise<void> => {
    const next = queue.then(async () => {
      if (disabled && context !== 'runStarted') return;
      try {
        await task();
      } catch (error) {
        onError(error as Error, context);
      }
    });
    queue = next;
    return next;
  };

  const log = async (runId: string, batch: LogBatchRequest) => {
    for (const chunk of splitBatch(batch)) await client!.logBatch(runId, chunk);
  };

  const systemTags = (): KeyValue[] => {
    const tags: KeyValue[] = [
      { key: T.MLFLOW_USER, value: currentUser() },
      { key: T.MLFLOW_SOURCE_NAME, value: run!.pipelineFile },
      { key: T.MLFLOW_SOURCE_TYPE, value: 'LOCAL' },
      { key: T.TUNEKIT_PIPELINE, value: run!.pipelineName },
      { key: T.TUNEKIT_RUN_ID, value: run!.runId },
    ];
    if (run!.gitCommit) tags.push({ key: T.MLFLOW_GIT_COMMIT, value: run!.gitCommit });
    return tags;
  };

  const stageState = (stageId: string): StageState => {
    let state = stages.get(stageId);
    if (!state) {
      state = { pending: [] };
      stages.set(stageId, state);
    }
    return state;
  };

  const createStageRun = async (stageId: string, uses: string, params: Record<string, unknown> | undefined, startTime: number, cacheKey?: string) => {
    const state = stageState(stageId);
    if (state.runId) return state.runId;
    const tags: KeyValue[] = [
      ...systemTags(),
      { key: T.MLFLOW_PARENT_RUN_ID, value: ids.parentRunId! },
      { key: T.TUNEKIT_STAGE_ID, value: stageId },
      { key: T.TUNEKIT_USES, value: uses },
    ];
    if (cacheKey) tags.push({ key: T.TUNEKIT_CACHE_KEY, value: cacheKey });
    const info = await client!.createRun({ experimentId: ids.experimentId!, runName: stageId, startTime, tags });
    state.runId = info.runId;
    ids.stages[stageId] = info.runId;
    await log(info.runId, { params: flattenParams(params) });
    return info.runId;
  };

  const flushStage = async (state: StageState) => {
    if (!state.runId || state.pending.length === 0) return;
    const metrics = state.pending.splice(0, state.pending.length);
    await log(state.runId, { metrics });
  };

  const flushAll = async () => {
    for (const state of stages.values()) await flushStage(state);
  };

  const scheduleFlush = () => {
    if (flushTimer) return;
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      void enqueue('flush metrics', flushAll);
    }, flushMs);
    flushTimer.unref();
  };

  /**
   * The MLflow run that produced a cached stage: a nested run tagged with the producing TuneKit
   * run id + stage id (not itself a cache hit). One search per producing TuneKit run, remembered.
   */
  const producers = new Map<string, Promise<Map<string, string>>>();
  const findProducer = async (producedBy: { runId: string; stageId: string }): Promise<string | undefined> => {
    let stagesOfRun = producers.get(producedBy.runId);
    if (!stagesOfRun) {
      stagesOfRun = searchAllRuns(client!, {
        experimentIds: [ids.experimentId!],
        filter: `tags.\`${T.TUNEKIT_RUN_ID}\` = ${quoteFilterValue(producedBy.runId)}`,
      }).then((runs) => {
        const byStage = new Map<string, string>();
        for (const r of runs) {
          const stageId = tagValue(r, T.TUNEKIT_STAGE_ID);
          if (stageId && tagValue(r, T.TUNEKIT_CACHE) !== 'hit' && tagValue(r, T.MLFLOW_PARENT_RUN_ID)) byStage.set(stageId, r.info.runId);
        }
        return byStage;
      });
      producers.set(producedBy.runId, stagesOfRun);
      stagesOfRun.catch(() => producers.delete(producedBy.runId));
    }
    return (await stagesOfRun).get(producedBy.stageId);
  };

  const filesOf = (path: string): { file: string; artifactPath?: string }[] => {
    if (!fs.statSync(path).isDirectory()) return [{ file: path }];
    const out: { file: string; artifactPath?: string }[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else out.push({ file: full, artifactPath: join(basename(path), relative(path, dir)).replace(/\\/g, '/').replace(/\/$/, '') });
      }
    };
    walk(path);
    return out;
  };

  return {
    ids,

    runStarted(event) {
      return enqueue('runStarted', async () => {
        run = event;
        disabled = false;
        stages.clear();
        producers.clear();
        ids.stages = {};
        try {
          client =
            options.client ??
            createTrackingClient({
              ...options,
              uri: event.trackingUri ?? options.uri,
              onOffline:
                options.onOffline ??
                ((error, journal) =>
                  onError(new Error(`${error.message}; buffering to ${journal}, deliver later with \`tunekit tracking sync\``), 'tracking server offline')),
            });
          ids.experimentId = await getOrCreateExperiment(client, event.experiment);
          const info = await client.createRun({
            experimentId: ids.experimentId,
            runName: `${event.pipelineName}-${event.runId}`,
            startTime: event.startedAt,
            tags: systemTags(),
          });
          ids.parentRunId = info.runId;
          await log(info.runId, { params: flattenParams(event.params) });
        } catch (error) {
          if (!ids.parentRunId) disabled = true;
          throw error;
        }
      });
    },

    stageStarted(event: StageStartedEvent) {
      return enqueue(`stage ${event.stageId} started`, async () => {
        await createStageRun(event.stageId, event.uses, event.params, event.startedAt, event.cacheKey);
      });
    },

    stageMetric(event: StageMetricEvent) {
      const state = stageState(event.stageId);
      state.pending.push({ key: toMlflowKey(event.key), value: event.value, timestamp: event.timestamp, step: event.step });
      if (state.pending.length >= MAX_PENDING) return enqueue('flush metrics', () => flushStage(state));
      scheduleFlush();
      return undefined;
    },

    stageTag(event: StageTagEvent) {
      return enqueue(`stage ${event.stageId} tag ${event.key}`, async () => {
        const runId = stages.get(event.stageId)?.runId;
        if (!runId) throw new Error(`no MLflow run for stage ${event.stageId} (tag before stageStarted)`);
        await client!.setTag(runId, event.key, clip(event.value));
      });
    },

    stageArtifact(event: StageArtifactEvent) {
      return enqueue(`stage ${event.stageId} artifact ${event.path}`, async () => {
        const runId = stages.get(event.stageId)?.runId;
        if (!runId) throw new Error(`no MLflow run for stage ${event.stageId} (artifact before stageStarted)`);
        for (const { file, artifactPath } of filesOf(event.path)) await client!.logArtifact(runId, file, artifactPath);
      });
    },

    stageFinished(event: StageFinishedEvent) {
      return enqueue(`stage ${event.stageId} finished`, async () => {
        const startTime = Math.max(0, Math.round(event.finishedAt - event.seconds * 1000));
        const runId = await createStageRun(event.stageId, event.uses, event.params, startTime, event.cacheKey);
        await flushStage(stageState(event.stageId));
        const tags: KeyValue[] = [
          { key: T.TUNEKIT_STATUS, value: event.status },
          { key: T.TUNEKIT_SECONDS, value: String(event.seconds) },
        ];
        if (event.status === 'ran') tags.push({ key: T.TUNEKIT_CACHE, value: 'miss' });
        if (event.cacheKey) tags.push({ key: T.TUNEKIT_CACHE_KEY, value: event.cacheKey });
        if (event.error) tags.push({ key: T.TUNEKIT_ERROR, value: clip(event.error) });
        for (const [name, output] of Object.entries(event.outputs ?? {})) {
          tags.push({ key: toMlflowKey(T.tunekitOutputTag(name)), value: output.digest });
        }
        if (event.status === 'cached') {
          tags.push({ key: T.TUNEKIT_CACHE, value: 'hit' });
          if (event.producedBy) {
            tags.push({ key: T.TUNEKIT_CACHE_SOURCE, value: `${event.producedBy.runId}/${event.producedBy.stageId}` });
            try {
              const producer = await findProducer(event.producedBy);
              if (producer) tags.push({ key: T.TUNEKIT_CACHE_SOURCE_RUN_ID, value: producer });
            } catch (error) {
              onError(error as Error, `stage ${event.stageId}: looking up the run that produced the cached outputs`);
            }
          }
        }
        await log(runId, { tags });
        await client!.updateRun(runId, { status: STAGE_STATUS[event.status], endTime: event.finishedAt });
        stageState(event.stageId).finished = true;
      });
    },

    runFinished(event: RunFinishedEvent) {
      return enqueue('runFinished', async () => {
        if (flushTimer) clearTimeout(flushTimer);
        flushTimer = undefined;
        await flushAll();
        for (const state of stages.values()) {
          if (state.runId && !state.finished) {
            await client!.updateRun(state.runId, { status: 'KILLED', endTime: event.finishedAt });
          }
        }
        await client!.updateRun(ids.parentRunId!, { status: RUN_STATUS[event.status], endTime: event.finishedAt });
        if (!options.client) await client!.close();
      });
    },

    async flush() {
      await enqueue('flush metrics', flushAll);
    },
  };
}
