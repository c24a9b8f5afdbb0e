/** Options of `partial`: which parameters stay frozen. The task head always trains. */
export interface PartialConfig {
  freeze_patterns: string[];
  train_last_n_layers: number | null;
  freeze_embeddings: boolean;
}

export const partialConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    freeze_patterns: {
      type: 'array',
      items: { type: 'string' },
      default: [],
      description: 'Regular expressions (JavaScript, searched anywhere in the name) over HF parameter names; a match is frozen.',
    },
    train_last_n_layers: {
      type: ['integer', 'null'],
      minimum: 0,
      default: null,
      description: 'Train only the last N encoder layers (and the pooler); earlier layers are frozen. null: no layer-based freezing.',
    },
    freeze_embeddings: {
      type: 'boolean',
      default: true,
      description: 'Freeze `bert.embeddings.*` (word, position, token-type embeddings and their LayerNorm).',
    },
  },
} as const;
