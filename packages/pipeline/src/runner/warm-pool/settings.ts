/**
 * Warm pool settings from the environment (documented in packages/pipeline/README.md, "Warm workers").
 * TUNEKIT_WARM_WORKERS=0 turns the pool off (one new process per stage, as before);
 * TUNEKIT_WARM_WORKER_STAGES and TUNEKIT_WARM_WORKER_MAX_RSS_MB bound how long one worker lives.
 */
import { PipelineError } from '../../spec/pipeline-error.ts';

export interface RetirePolicy {
  /** Stages one worker runs before it is replaced (1 = a prestarted process per stage, never reused). */
  maxStages: number;
  /** Resident set size (MiB) above which a worker is replaced after its stage. */
  maxRssMb: number;
}

export const DEFAULT_RETIRE_POLICY: RetirePolicy = { maxStages: 100, maxRssMb: 1024 };

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new PipelineError([{ location: '', message: `${name}="${raw}" must be a positive integer` }]);
  return n;
}

/** Whether stages run in warm workers: the run's option if given, else TUNEKIT_WARM_WORKERS (default on). */
export function warmWorkersEnabled(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (option !== undefined) return option;
  const raw = env.TUNEKIT_WARM_WORKERS;
  if (raw === undefined || raw === '' || raw === '1') return true;
  if (raw === '0') return false;
  throw new PipelineError([{ location: '', message: `TUNEKIT_WARM_WORKERS="${raw}" must be 0 or 1` }]);
}

export function retirePolicy(env: NodeJS.ProcessEnv = process.env): RetirePolicy {
  return {
    maxStages: positiveInteger(env, 'TUNEKIT_WARM_WORKER_STAGES', DEFAULT_RETIRE_POLICY.maxStages),
    maxRssMb: positiveInteger(env, 'TUNEKIT_WARM_WORKER_MAX_RSS_MB', DEFAULT_RETIRE_POLICY.maxRssMb),
  };
}
