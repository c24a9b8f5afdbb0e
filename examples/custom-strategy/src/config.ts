/** BitFit options (Ben Zaken et al., 2022): which biases train besides the task head. */
export interface BitFitConfig {
  include_layer_norm: boolean;
}

export const bitFitConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    include_layer_norm: { type: 'boolean', default: false, description: 'Also train LayerNorm gains (bias-only when false).' },
  },
} as const;
