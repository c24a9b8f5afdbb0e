/**
 * Which executor runs a pipeline, first found: `--executor`, `TUNEKIT_EXECUTOR`, the pipeline
 * file's `executor:`, else `local`. Values: `local`, or `redis://host:6379[/db]` (`rediss://`
 * for TLS). The redis executor is loaded on first use (BullMQ is not imported by local runs).
 */
import type { Executor } from './executor.ts';
import { ExecutorError } from './executor-error.ts';

export function executorChoice(explicit: string | undefined, pipeline?: { executor?: string; file: string }, env: NodeJS.ProcessEnv = process.env): { value: string; source: string } {
  if (explicit) return { value: explicit, source: '--executor' };
  if (env.TUNEKIT_EXECUTOR) return { value: env.TUNEKIT_EXECUTOR, source: 'TUNEKIT_EXECUTOR' };
  if (pipeline?.executor) return { value: pipeline.executor, source: `${pipeline.file}: executor` };
  return { value: 'local', source: 'default' };
}

/** The executor for a choice; undefined for `local` (the runner makes its own, with the warm pool). */
export async function openExecutor(choice: { value: string; source: string }): Promise<Executor | undefined> {
  if (choice.value === 'local') return undefined;
  if (/^rediss?:\/\//.test(choice.value)) {
    const { RedisExecutor } = await import('./redis/redis-executor.ts');
    return RedisExecutor.open(choice.value, { source: choice.source });
  }
  throw new ExecutorError(`${choice.source}: unknown executor "${choice.value}" (expected local or redis://host:6379[/db])`);
}
