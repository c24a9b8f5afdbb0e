/**
 * The seam between the runner and whatever runs a stage. The runner resolves the DAG, computes
 * each stage's key, restores cache hits and holds the store's per-key lock; for every ready,
 * uncached stage it calls `executor.run(task)` and gets back a committed store entry or a failure.
 * It never knows which executor that was: `local/` (stage processes on this machine, the default)
 * or `redis/` (BullMQ jobs taken by `tunekit worker` processes on any machine sharing the store).
 */
import type { WriteStream } from 'node:fs';
import type { CacheKeyComponents } from '../cache/cache-key.ts';
import type { Store, StoreEntry } from '../cache/store.ts';
import type { InputArtifact } from '../sdk/define-stage.ts';
import type { LoadedPipeline, PlannedStage } from '../spec/load-pipeline.ts';
import type { WorkerMessage } from '../runner/worker-protocol.ts';

/** One ready, uncached stage: everything needed to produce its store entry. */
export interface StageTask {
  runId: string;
  pipeline: LoadedPipeline;
  stage: PlannedStage;
  key: string;
  components: CacheKeyComponents;
  /** Input artifacts: directories in `store` (collections materialised) and their digests. */
  inputs: Record<string, InputArtifact>;
  store: Store;
  /** The stage's log file (`<store>/logs/<run-id>/<stage>.log`) and an open append stream to it. */
  logFile: string;
  log: WriteStream;
  /** Aborts when the run is interrupted: stop the stage, leave nothing in the store. */
  signal: AbortSignal;
  /** What the stage reports (log, metric, tag, progress, artifact at its final path). */
  onMessage(message: StageMessage): void;
  /** Each line the stage prints (already in the log file). */
  onOutput(source: 'stdout' | 'stderr', line: string): void;
}

/** The tag an executor that runs stages elsewhere sets on a stage: which worker runs it (`host:pid`). */
export const WORKER_TAG = 'tunekit.worker';

export type StageMessage = Exclude<WorkerMessage, { type: 'ready' | 'done' | 'failed' }>;

export type TaskResult =
  | { ok: true; entry: StoreEntry }
  | { ok: false; error: string; /** a StageInputError: the CLI exits 2 */ invalidInput?: boolean };

export interface Executor {
  /** `local`, or the queue's URL (password hidden): the console and run record name it. */
  readonly name: string;
  /** Produce the task's store entry (commit it) or say why not; never throws for a stage's own failure. */
  run(task: StageTask): Promise<TaskResult>;
  /** Release processes and connections; the runner calls it once, after the last task. */
  close(): Promise<void>;
}
