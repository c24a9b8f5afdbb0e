/**
 * `tunekit status` (as `dvc status`): for every stage instance, whether `run` would restore it from
 * the cache, and for a miss which part of its key changed since that stage's last run. Computes
 * the same keys as `runPipeline` (plugin fingerprints included) and runs nothing; cache entries are
 * looked up, not re-hashed (`run` verifies them).
 */
import { FsStore } from '../cache/stores/fs/fs-store.ts';
import type { Store } from '../cache/store.ts';
import { diffKeyComponents, describeKeyChanges, summarizeKeyChanges, type KeyChange } from '../cache/key-diff.ts';
import { readLastKey } from '../records/last-keys.ts';
import type { LoadedPipeline, PlannedStage } from '../spec/load-pipeline.ts';
import { missReason } from './miss-reason.ts';
import { computeStageKey, type InputDigests } from './stage-key.ts';

export interface StageCacheStatus {
  id: string;
  uses: string;
  cached: boolean;
  /** The key `run` would look up; absent while an upstream stage is not cached (its outputs are unknown). */
  key?: string;
  /** For a miss: `never run`, `param lr 0.0005 → 0.001`, `upstream a not cached; ...`. */
  reason?: string;
  /** For a miss: the changed key parts since the stage's last run. */
  changes?: KeyChange[];
  /** Upstream stages that are not cached: this stage's input digests are known only after they run. */
  waitsFor?: string[];
}

/** Input digests from cached upstream outputs, or the upstream stages that are not cached. */
function inputDigests(stage: PlannedStage, outputs: Map<string, Record<string, string>>): { digests: InputDigests; missing: string[] } {
  const digests: InputDigests = {};
  const missing = new Set<string>();
  for (const [name, input] of Object.entries(stage.inputs)) {
    if (input.kind === 'single') {
      const digest = outputs.get(input.stageId)?.[input.output];
      if (digest) digests[name] = digest;
      else missing.add(input.stageId);
    } else {
      const items = input.items.map((item) => ({ coords: item.coords, digest: outputs.get(item.stageId)?.[input.output] }));
      for (const [i, item] of items.entries()) if (!item.digest) missing.add(input.items[i]!.stageId);
      if (items.every((item) => item.digest)) digests[name] = items as { coords: Record<string, unknown>; digest: string }[];
    }
  }
  return { digests, missing: [...missing] };
}

/** `store`: the store to look in (default: the fs store at `storeRoot`, else TUNEKIT_HOME / .tunekit). */
export async function pipelineStatus(pipeline: LoadedPipeline, options: { storeRoot?: string; store?: Store } = {}): Promise<StageCacheStatus[]> {
  const store = options.store ?? new FsStore(options.storeRoot ?? FsStore.resolveRoot(pipeline.workspaceRoot));
  const outputs = new Map<string, Record<string, string>>();
  const report: StageCacheStatus[] = [];
  for (const stage of pipeline.stages) {
    const base = { id: stage.id, uses: stage.uses };
    const { digests, missing } = inputDigests(stage, outputs);
    const { key, components } = await computeStageKey(stage, pipeline, digests);
    const last = await readLastKey(store.root, pipeline.name, stage.id);
    if (missing.length > 0) {
      // Everything but the inputs can still be compared with the last run.
      const before = { ...last?.components, inputs: {} } as Record<string, unknown>;
      const after = { ...components, inputs: {} } as Record<string, unknown>;
      const changes = last ? diffKeyComponents(before, after) : [];
      const lines = [`upstream ${missing.join(', ')} not cached`, ...(last ? describeKeyChanges(changes, before, after) : ['never run'])];
      report.push({ ...base, cached: false, reason: summarizeKeyChanges(lines), changes, waitsFor: missing });
      continue;
    }
    const meta = stage.cache ? await store.readMeta(key) : undefined;
    if (meta) {
      outputs.set(stage.id, meta.outputs);
      report.push({ ...base, cached: true, key });
      continue;
    }
    const { reason, changes } = stage.cache ? missReason(last, key, components) : { reason: 'cache: false (runs every time)', changes: [] };
    report.push({ ...base, cached: false, key, reason, changes });
  }
  return report;
}
