/**
 * `strategies/<name>`: model artifact in → model artifact out. The output holds the input's Hugging
 * Face files unchanged plus `tunekit_strategy.json` (+ `tunekit_strategy.safetensors` for strategies
 * that add weights), so the training stage re-applies the strategy in its own process.
 * Light at top level: the model and tfjs are imported inside `run`.
 */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defineStage, type JsonSchema, type StageDefinition } from '@tunekit/pipeline';

export const STRATEGY_STAGE_VERSION = '1';

export interface StrategyStageOptions {
  /** Stage id; default `strategies/<name>` (third-party packages use `<package>/<name>`). */
  id?: string;
  /** Module whose import registers the strategy (third-party packages), imported inside `run`. */
  registerModule?: string;
  version?: string;
}

export function strategyStage(name: string, description: string, configSchema: JsonSchema, options: StrategyStageOptions = {}): StageDefinition {
  return defineStage({
    id: options.id ?? `strategies/${name}`,
    version: options.version ?? STRATEGY_STAGE_VERSION,
    description,
    params: configSchema,
    inputs: { model: { kind: 'model', description: 'A model in Hugging Face layout (e.g. from model-loader/load).' } },
    outputs: { model: { kind: 'model', description: 'The same model files plus the strategy (tunekit_strategy.json and its weights).' } },
    fingerprint,
    async run(ctx) {
      if (options.registerModule) await import(options.registerModule);
      const { writeStrategyOutput } = await import('./write-strategy-output.ts');
      await writeStrategyOutput(name, ctx);
    },
  });
}
