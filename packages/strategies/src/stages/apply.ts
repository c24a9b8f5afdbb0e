/**
 * `strategies/apply`: the strategy is a param, so one stage with `matrix: { strategy: [...] }`
 * compares strategies; `configs` holds each strategy's options (validated by that strategy's schema
 * when the stage runs).
 *
 *   adapt:
 *     uses: strategies/apply
 *     matrix: { strategy: [full, partial, adapter, lora] }
 *     with: { strategy: "${matrix.strategy}", configs: { lora: { r: 8 }, partial: { train_last_n_layers: 1 } } }
 */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defineStage } from '@tunekit/pipeline';
import { STRATEGY_STAGE_VERSION } from './strategy-stage.ts';

export interface ApplyParams {
  strategy: string;
  configs: Record<string, Record<string, unknown>>;
}

export default defineStage<ApplyParams>({
  id: 'strategies/apply',
  version: STRATEGY_STAGE_VERSION,
  description: 'Apply the strategy named by a param (for matrix comparisons); options per strategy in `configs`.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['strategy'],
    properties: {
      strategy: { type: 'string', description: 'Registered strategy name: full, partial, adapter, lora, or a third-party one.' },
      configs: {
        type: 'object',
        additionalProperties: { type: 'object' },
        default: {},
        description: 'Options per strategy name; the entry of `strategy` is used (defaults when absent).',
      },
    },
  },
  inputs: { model: { kind: 'model', description: 'A model in Hugging Face layout (e.g. from model-loader/load).' } },
  outputs: { model: { kind: 'model', description: 'The same model files plus the strategy (tunekit_strategy.json and its weights).' } },
  fingerprint,
  async run(ctx) {
    const { writeStrategyOutput } = await import('./write-strategy-output.ts');
    const { strategy, configs } = ctx.params;
    await writeStrategyOutput(strategy, { ...ctx, params: configs[strategy] ?? {} });
  },
});
