import type { InputArtifact, ProgressDetail } from '../sdk/define-stage.ts';
import type { PluginLocator } from '../plugins/resolve-plugin.ts';

/** Parent → worker: run one stage. */
export interface RunStageMessage {
  type: 'run';
  locator: PluginLocator;
  context: {
    stageId: string;
    params: Record<string, unknown>;
    inputs: Record<string, InputArtifact>;
    outputs: Record<string, { dir: string }>;
    seed: number;
    pipelineDir: string;
    workspaceRoot: string;
    scratchDir: string;
  };
  /**
   * Set by the warm pool (runner/warm-pool/): the worker stays alive for the next stage. It runs
   * this stage in `cwd` with the worker's start-up environment plus `env`, evaluates the plugin's
   * own modules afresh under `generation`, and afterwards restores what it can and reports what it
   * could not (`after` on done/failed). Absent: the cold path, one stage then exit.
   */
  warm?: { cwd: string; env: Record<string, string>; generation: number };
}

/** What a warm worker writes to stdout and stderr after a stage's last byte (the parent cuts its log there). */
export const END_OF_STAGE_MARKER = '\u001etunekit:end-of-stage\u001e';

/** Worker → parent. */
export type WorkerMessage =
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'metric'; key: string; value: number; step: number; timestamp: number }
  | { type: 'tag'; key: string; value: string }
  | { type: 'artifact'; path: string }
  | ({ type: 'progress'; done: number; total: number } & ProgressDetail)
  /** A warm worker finished starting (tsx loaded, baseline taken) and waits for `run` messages. */
  | { type: 'ready'; pid: number }
  /** Warm workers add `after`: what the stage left behind (the pool retires the worker unless it is clean). */
  | { type: 'done'; after?: StageAftermath }
  | { type: 'failed'; error: string; stack?: string; /** the stage threw a StageInputError (exit code 2) */ invalidInput?: boolean; after?: StageAftermath };

/** A warm worker's state after a stage: `leftovers` it could not undo (it exits when there are any) and its memory. */
export interface StageAftermath {
  leftovers: string[];
  rssMb: number;
}
