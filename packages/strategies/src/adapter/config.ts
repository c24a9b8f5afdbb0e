/** Options of bottleneck adapters (Houlsby et al. 2019; Pfeiffer et al. 2021). */
export interface AdapterConfig {
  variant: 'houlsby' | 'pfeiffer';
  reduction_factor: number;
  bottleneck_size: number | null;
  activation: 'relu' | 'gelu' | 'gelu_new' | 'tanh' | 'silu';
  init_std: number;
  train_layer_norm: boolean;
}

export const adapterConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    variant: {
      type: 'string',
      enum: ['houlsby', 'pfeiffer'],
      default: 'houlsby',
      description: 'houlsby: an adapter after the attention output and after the FFN output of every layer; pfeiffer: after the FFN output only.',
    },
    reduction_factor: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 16,
      description: 'Bottleneck size = hidden_size / reduction_factor (rounded, at least 1); ignored when bottleneck_size is set.',
    },
    bottleneck_size: {
      type: ['integer', 'null'],
      minimum: 1,
      default: null,
      description: 'Bottleneck width; overrides reduction_factor.',
    },
    activation: {
      type: 'string',
      enum: ['relu', 'gelu', 'gelu_new', 'tanh', 'silu'],
      default: 'relu',
      description: 'Non-linearity between the down- and up-projection.',
    },
    init_std: {
      type: 'number',
      minimum: 0,
      default: 0.02,
      description: 'Std of the normal init of the down-projection; the up-projection starts at zero so every adapter starts as the identity.',
    },
    train_layer_norm: {
      type: 'boolean',
      default: false,
      description: 'Also train the LayerNorm parameters of the encoder (Houlsby et al. do); false keeps the whole base frozen.',
    },
  },
} as const;

export function bottleneckSize(config: AdapterConfig, hiddenSize: number): number {
  return config.bottleneck_size ?? Math.max(1, Math.round(hiddenSize / config.reduction_factor));
}
