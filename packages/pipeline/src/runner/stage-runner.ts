/**
 * How the runner starts a stage's process: a warm worker from a pool (default) or a new process
 * per stage (`--no-warm-workers`, `TUNEKIT_WARM_WORKERS=0`). One run creates one runner and shuts
 * it down at its end.
 */
import { runStageProcess, type StageOutcome, type StageProcessOptions } from './stage-process.ts';
import { WarmPool } from './warm-pool/pool.ts';
import { retirePolicy, warmWorkersEnabled } from './warm-pool/settings.ts';

export interface StageRunner {
  run(options: StageProcessOptions): Promise<StageOutcome>;
  /** Ends every process the runner started and waits for their exits. */
  shutdown(): Promise<void>;
}

export const coldStageRunner: StageRunner = { run: runStageProcess, shutdown: async () => undefined };

/** `warm`: the run's choice (undefined: TUNEKIT_WARM_WORKERS, default on); `jobs`: the pool's size. */
export function createStageRunner(options: { warm?: boolean; jobs: number; env?: NodeJS.ProcessEnv }): StageRunner {
  const env = options.env ?? process.env;
  if (!warmWorkersEnabled(options.warm, env)) return coldStageRunner;
  return new WarmPool({ size: options.jobs, policy: retirePolicy(env), env });
}
