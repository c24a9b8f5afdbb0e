/** Validate a strategy config, apply it to a model and log the parameter counts. */
import type { BertModel } from '@tunekit/model-loader';
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
  const counts = countParams(model);
  options.log?.(`strategy ${name}: ${formatParamCounts(counts)}`);
  return { applied, counts };
}
