import type { BertConfig } from '../../src/types.ts';

/** A very small BERT for behaviour and gradient tests. */
export const TINY_CONFIG: BertConfig = {
  model_type: 'bert',
  vocab_size: 20,
  hidden_size: 8,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 16,
  hidden_act: 'gelu',
  max_position_embeddings: 12,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  initializer_range: 0.3,
  pad_token_id: 0,
  id2label: { 0: 'O', 1: 'B', 2: 'I' },
};
