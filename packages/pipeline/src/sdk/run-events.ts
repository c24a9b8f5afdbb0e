/**
 * What the runner tells observers (console progress, experiment tracking) while a pipeline runs.
 * Plain data; an observer must never throw into the runner (errors are reported, not propagated).
 */

import type { ProgressDetail } from './define-stage.ts';

export type StageStatus = 'ran' | 'cached' | 'failed' | 'skipped';

export interface RunStartedEvent {
  runId: string;
  pipelineName: string;
  /** Experiment name for tracking (pipeline `experiment`, else its name). */
  experiment: string;
  /** Absolute path of the pipeline file. */
  pipelineFile: string;
  /** Resolved pipeline params (`params:` after --set overrides). */
  params: Record<string, unknown>;
  gitCommit?: string;
  /** Pipeline `tracking.uri`, if set (MLFLOW_TRACKING_URI wins). */
  trackingUri?: string;
  startedAt: number;
}

export interface StageStartedEvent {
  runId: string;
  stageId: string;
  uses: string;
  /** Validated params with defaults (what was hashed). */
  params: Record<string, unknown>;
  cacheKey: string;
  /** Why the stage missed the cache: the changed key parts (`param lr 0.0005 → 0.001`), `never run`, `--no-cache`. */
  reason?: string;
  startedAt: number;
}

export interface StageMetricEvent {
  runId: string;
  stageId: string;
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

export interface StageTagEvent {
  runId: string;
  stageId: string;
  key: string;
  value: string;
}

export interface StageArtifactEvent {
  runId: string;
  stageId: string;
  /** Absolute path of a small file to attach. */
  path: string;
}

export interface StageFinishedEvent {
  runId: string;
  stageId: string;
  uses: string;
  status: StageStatus;
  cacheKey?: string;
  params?: Record<string, unknown>;
  seconds: number;
  error?: string;
  /** For `cached`: the TuneKit run and stage that produced the cached outputs. */
  producedBy?: { runId: string; stageId: string };
  /** For stages that ran or failed: why the cache was missed (as in `stageStarted`). */
  reason?: string;
  /** Output name → { digest, path } for ran/cached stages. */
  outputs?: Record<string, { digest: string; path: string }>;
  /** The stage's log file (stages that ran or failed). */
  log?: string;
  finishedAt: number;
}

/** A line the stage logged with `ctx.log.info/warn`, or printed (also in the stage's log file). */
export interface StageLogEvent {
  runId: string;
  stageId: string;
  level: 'info' | 'warn';
  message: string;
  /** `log`: ctx.log (default); `stdout` / `stderr`: a line the stage process printed. */
  source?: 'log' | 'stdout' | 'stderr';
}

/** `ctx.progress.update(done, total, detail)` (a few per second at most). */
export interface StageProgressEvent extends ProgressDetail {
  runId: string;
  stageId: string;
  done: number;
  total: number;
}

export interface RunFinishedEvent {
  runId: string;
  status: 'succeeded' | 'failed' | 'interrupted';
  finishedAt: number;
  /** Absolute path of the run record (`<store>/runs/<run-id>.json`). */
  recordFile?: string;
}

export interface RunObserver {
  runStarted?(event: RunStartedEvent): void | Promise<void>;
  stageStarted?(event: StageStartedEvent): void | Promise<void>;
  stageMetric?(event: StageMetricEvent): void | Promise<void>;
  stageTag?(event: StageTagEvent): void | Promise<void>;
  stageArtifact?(event: StageArtifactEvent): void | Promise<void>;
  stageLog?(event: StageLogEvent): void | Promise<void>;
  stageProgress?(event: StageProgressEvent): void | Promise<void>;
  stageFinished?(event: StageFinishedEvent): void | Promise<void>;
  runFinished?(event: RunFinishedEvent): void | Promise<void>;
}
