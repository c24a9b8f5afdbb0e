/**
 * Why a stage misses the cache, in one line: which parts of its key changed since its last run
 * (records/last-keys.ts), or "never run", or why the same key has no entry.
 */
import type { CacheKeyComponents } from '../cache/cache-key.ts';
import { describeKeyChanges, diffKeyComponents, summarizeKeyChanges, type KeyChange } from '../cache/key-diff.ts';
import type { LastKey } from '../records/last-keys.ts';

export interface MissReason {
  /** e.g. `param lr 0.0005 → 0.001; input dataset changed`, `never run`. */
  reason: string;
  /** The changed key parts (empty when the key itself did not change). */
  changes: KeyChange[];
}

export function missReason(last: LastKey | undefined, key: string, components: CacheKeyComponents): MissReason {
  if (!last) return { reason: 'never run', changes: [] };
  if (last.key === key) {
    return { reason: last.status === 'failed' ? 'failed last time' : 'same key, cache entry gone (removed or gc)', changes: [] };
  }
  const before = last.components as unknown as Record<string, unknown>;
  const after = components as unknown as Record<string, unknown>;
  const changes = diffKeyComponents(before, after);
  const lines = describeKeyChanges(changes, before, after);
  return { reason: lines.length ? summarizeKeyChanges(lines) : 'key changed', changes };
}

/** Why a stage that skips the cache lookup runs. */
export function forcedReason(stage: { cache: boolean }, noCache: boolean | undefined): string {
  if (!stage.cache) return 'cache: false';
  return noCache ? '--no-cache' : 'forced (--force / --from)';
}
