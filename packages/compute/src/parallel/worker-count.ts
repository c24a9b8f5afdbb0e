/**
 * How many data-parallel replicas a training stage starts when its `workers` param is not set:
 * `TUNEKIT_WORKERS` when it is a positive integer, else one per core the process may use
 * (`os.availableParallelism()`). The count changes the numbers (gradients are summed in a
 * different order), so stages put the count they use in their cache key.
 */
import { availableParallelism } from 'node:os';

export const WORKERS_ENV = 'TUNEKIT_WORKERS';

export function defaultWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[WORKERS_ENV]?.trim();
  if (raw !== undefined && raw !== '') {
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 64) {
      throw new Error(`${WORKERS_ENV}="${raw}" is not a worker count: expected an integer from 1 to 64`);
    }
    return Number(raw);
  }
  return Math.max(1, availableParallelism());
}
