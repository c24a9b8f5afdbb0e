/** Predicates over Hugging Face BERT parameter / module names, shared by the strategies. */

/** The task head: `classifier.*` (token/sequence classification) and `cls.*` (masked LM). */
export function isHeadParam(name: string): boolean {
  return name.startsWith('classifier.') || name.startsWith('cls.');
}

export function isEmbeddingParam(name: string): boolean {
  return name.startsWith('bert.embeddings.');
}

/** Encoder layer index of `bert.encoder.layer.N.…`, or undefined. */
export function encoderLayerIndex(name: string): number | undefined {
  const match = /^bert\.encoder\.layer\.(\d+)\./.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Biases and LayerNorm parameters (no weight decay, as Hugging Face's Trainer). */
export function isBiasOrLayerNorm(name: string): boolean {
  return name.endsWith('.bias') || /LayerNorm\.(weight|gamma|beta)$/.test(name) || /layer_norm|layernorm/i.test(name);
}

/** Parameters the head never reads (the pooler under token-classification / masked-LM heads): never trainable. */
export function isUnusedByHead(name: string, usesPooler: boolean): boolean {
  return !usesPooler && name.startsWith('bert.pooler.');
}
