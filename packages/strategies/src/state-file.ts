/**
 * A strategy travels with a model artifact as `tunekit_strategy.json` ({name, config, seed,
 * added_params}) plus `tunekit_strategy.safetensors` (the parameters it added, by HF-style name),
 * so any later stage (training, evaluation) re-applies it in its own process.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFileError, type BertModel } from '@tunekit/model-loader';
import { applyStrategy } from './apply-strategy.ts';
import { getStrategy, listStrategies } from './registry.ts';
import { assignTensors, loadTensors, saveTensors } from './tensor-io.ts';
import type { AppliedStrategy } from './types.ts';

export const STRATEGY_FILE = 'tunekit_strategy.json';
export const STRATEGY_WEIGHTS_FILE = 'tunekit_strategy.safetensors';

export interface StrategyState {
  name: string;
  config: Record<string, unknown>;
  seed: number;
  added_params: string[];
  /** Import specifier that registers a third-party strategy. */
  package?: string;
}

export async function writeStrategyState(dir: string, model: BertModel, applied: AppliedStrategy<any>, seed: number): Promise<void> {
  const definition = getStrategy(applied.name);
  const state: StrategyState = {
    name: applied.name,
    config: applied.config,
    seed,
    added_params: [...applied.addedParams].sort(),
    ...(definition.package ? { package: definition.package } : {}),
  };
  if (applied.addedParams.length > 0) {
    await saveTensors(join(dir, STRATEGY_WEIGHTS_FILE), applied.addedParams.map((name) => [name, model.params.get(name)!]));
  }
  await writeFile(join(dir, STRATEGY_FILE), JSON.stringify(state, null, 2) + '\n');
}

/** The strategy recorded in a model directory, or null when it has none (a plain HF checkpoint). */
export async function readStrategyState(dir: string): Promise<StrategyState | null> {
  const path = join(dir, STRATEGY_FILE);
  try {
    await access(path);
  } catch {
    return null;
  }
  let state: StrategyState;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as StrategyState;
  } catch (error) {
    throw new ModelFileError(path, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof state.name !== 'string' || typeof state.config !== 'object' || state.config === null) {
    throw new ModelFileError(path, 'expected {"name": string, "config": object, "seed": number}');
  }
  return { ...state, seed: state.seed ?? 0, added_params: state.added_params ?? [] };
}

/**
 * Re-apply the strategy recorded in `dir` to `model` (loaded from the same directory) and restore
 * its added weights. Returns null when the directory records no strategy.
 */
export async function restoreStrategy(model: BertModel, dir: string, log?: (message: string) => void): Promise<AppliedStrategy<any> | null> {
  const state = await readStrategyState(dir);
  if (!state) return null;
  if (!listStrategies().includes(state.name) && state.package) await import(state.package);
  const { applied } = applyStrategy(model, state.name, state.config, { seed: state.seed, log });
  if (applied.addedParams.length > 0) {
    const weightsPath = join(dir, STRATEGY_WEIGHTS_FILE);
    const loaded = await loadTensors(weightsPath);
    const expected = [...applied.addedParams].sort();
    const found = [...loaded.keys()].sort();
    if (expected.join('\n') !== found.join('\n')) {
      const missing = expected.filter((n) => !loaded.has(n));
      const extra = found.filter((n) => !applied.addedParams.includes(n));
      throw new ModelFileError(weightsPath, `strategy "${state.name}" weights do not match (missing: ${missing.join(', ') || 'none'}; unexpected: ${extra.join(', ') || 'none'})`);
    }
    assignTensors(model.params, loaded, weightsPath);
  }
  return applied;
}
