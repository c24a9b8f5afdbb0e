/** Params of `training/pretrain-embeddings`. */
export interface EmbeddingParams {
  window: number;
  negative: number;
  epochs: number;
  learning_rate: number;
  sample: number;
  min_count: number;
  target_std: number;
  train_split: string;
  max_tokens: number;
  probe_tokens: string[];
}

export const embeddingParamsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    window: { type: 'integer', minimum: 1, maximum: 1000, default: 5, description: 'Maximum context distance in tokens on each side (word2vec draws the actual half-window uniformly from 1..window per centre token).' },
    negative: { type: 'integer', minimum: 1, maximum: 1000, default: 5, description: 'Negative samples per (centre, context) pair, drawn from the unigram distribution raised to 0.75.' },
    epochs: { type: 'integer', minimum: 1, default: 3, description: 'Passes over the corpus.' },
    learning_rate: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 0.025, description: 'Initial learning rate, decayed linearly to 1e-4 of it over all epochs (word2vec alpha).' },
    sample: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 1e-4, description: 'Frequent-token subsampling threshold t (word2vec -sample); 0 keeps every token.' },
    min_count: { type: 'integer', minimum: 1, default: 3, description: 'Token ids seen fewer times in the corpus are not trained (their embedding rows stay as they were).' },
    target_std: { type: 'number', minimum: 0, default: 0, description: 'Standard deviation the centred vectors are scaled to before they replace embedding rows; 0: the model config initializer_range (the scale of the rows they replace).' },
    train_split: { type: 'string', default: 'train', description: 'Corpus split to train on.' },
    max_tokens: { type: 'integer', minimum: 0, default: 0, description: 'Use at most this many corpus tokens (0: all).' },
    probe_tokens: { type: 'array', items: { type: 'string' }, default: ['disease', 'cancer', 'mutation', 'patients', 'placebo'], description: 'Tokens whose nearest neighbours are logged and written to metrics.json (quality check).' },
  },
} as const;
