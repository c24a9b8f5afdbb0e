/**
 * The generator's config from the discriminator's (ELECTRA-small recipe, Clark et al. 2020 §3.2 and
 * appendix: a generator a fraction of the discriminator's width). Heads scale with `size` (at least
 * one) and keep the discriminator's head width; the FFN scales with `size`; depth is the
 * discriminator's unless `layers` says otherwise. `embedding_size` is the discriminator's hidden size:
 * the generator reads the discriminator's embeddings (shared) through its own projection
 * (`bert.embeddings_project`, HF ElectraModel's `embeddings_project`).
 */
import type { BertConfig } from '@tunekit/model-loader';

export interface GeneratorOptions {
  /** Width as a fraction of the discriminator's (hidden size, heads, FFN). */
  size: number;
  /** Encoder layers; 0: the discriminator's. */
  layers: number;
}

export function generatorConfig(discriminator: BertConfig, options: GeneratorOptions): BertConfig {
  const heads = Math.max(1, Math.round(discriminator.num_attention_heads * options.size));
  const headWidth = discriminator.hidden_size / discriminator.num_attention_heads;
  const { id2label: _id2label, label2id: _label2id, architectures: _architectures, ...rest } = discriminator;
  return {
    ...rest,
    hidden_size: heads * headWidth,
    num_attention_heads: heads,
    intermediate_size: Math.max(1, Math.round(discriminator.intermediate_size * options.size)),
    num_hidden_layers: options.layers > 0 ? options.layers : discriminator.num_hidden_layers,
    embedding_size: discriminator.hidden_size,
  };
}
