/**
 * A strategy shipped by a third party in its own package: importing this module registers
 * `bitfit` in TuneKit's strategy registry, exactly like the built-ins do.
 */
import { isHeadParam, registerStrategy } from '@tunekit/strategies';
import { bitFitConfigSchema, type BitFitConfig } from './config.ts';

export const bitFitStrategy = registerStrategy<BitFitConfig>({
  name: 'bitfit',
  description: 'BitFit: only bias terms (and the task head) train.',
  package: 'tunekit-strategy-bitfit',
  configSchema: bitFitConfigSchema,
  apply(model, config) {
    const trains = (name: string) =>
      isHeadParam(name) || name.endsWith('.bias') || (config.include_layer_norm && name.endsWith('LayerNorm.weight'));
    model.trainable = new Set([...model.params.keys()].filter((name) => trains(name) && !(model.head === 'token-classification' && name.startsWith('bert.pooler.'))));
    return { name: 'bitfit', config, addedParams: [], remove() {} };
  },
});
