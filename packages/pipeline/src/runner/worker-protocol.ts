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
}

/** Worker → parent. */
export type WorkerMessage =
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'metric'; key: string; value: number; step: number; timestamp: number }
  | { type: 'tag'; key: string; value: string }
  | { type: 'artifact'; path: string }
  | ({ type: 'progress'; done: number; total: number } & ProgressDetail)
  | { type: 'done' }
  | { type: 'failed'; error: string; stack?: string; /** the stage threw a StageInputError (exit code 2) */ invalidInput?: boolean };
