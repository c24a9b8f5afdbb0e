/**
 * Validate a strategy config, apply it to a model and log the parameter counts. Parameters the
 * checkpoint did not hold (a new head, a new pooler) train whatever the strategy froze.
 */
import type { BertModel } from '@tunekit/model-loader';
import { newlyInitializedParams } from './names.ts';
import { countParams, formatParamCounts, type ParamCounts } from './param-counts.ts';
import { getStrategy, resolveConfig } from './registry.ts';
import type { AppliedStrategy } from './types.ts';

export interface ApplyStrategyOptions {
  seed: number;
  /** Receives the `trainable params: … || trainable%: …` line. */
  log?: (message: string) => void;
}

export function applyStrategy(
  model: BertModel,
  name: string,
  config: Record<string, unknown> | undefined,
  options: ApplyStrategyOptions,
): { applied: AppliedStrategy<any>; counts: ParamCounts } {
  const definition = getStrategy(name);
  const resolved = resolveConfig<Record<string, unknown>>(name, config);
  const applied = definition.apply(model, resolved, { seed: options.seed });
  const newlyInitialized = newlyInitializedParams(model).filter((param) => model.params.has(param) && !model.trainable.has(param));
  for (const param of newlyInitialized) model.trainable.add(param);
  if (newlyInitialized.length > 0) options.log?.(`strategy ${name}: newly initialised, so trained too: ${newlyInitialized.join(', ')}`);
  const counts = countParams(model);
  options.log?.(`strategy ${name}: ${formatParamCounts(counts)}`);
  return { applied, counts };
}
