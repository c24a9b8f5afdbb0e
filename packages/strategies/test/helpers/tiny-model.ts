import * as tf from '@tensorflow/tfjs-core';
import { createModel, type BertConfig, type BertModel, type TaskHead } from '@tunekit/model-loader';

/** Activate the cpu backend with every gradient registered (tfjs-core alone lacks them). */
export async function useCpu(): Promise<void> {
  await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  await tf.ready();
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
}

export const TINY_CONFIG: BertConfig = {
  model_type: 'bert',
  vocab_size: 50,
  hidden_size: 16,
  num_hidden_layers: 3,
  num_attention_heads: 2,
  intermediate_size: 32,
  hidden_act: 'gelu',
  max_position_embeddings: 32,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  pad_token_id: 0,
};

export const LABELS = ['O', 'B-Disease', 'I-Disease'];

export function tinyModel(head: TaskHead = 'token-classification', seed = 1): BertModel {
  return createModel(TINY_CONFIG, head, seed, head === 'token-classification' || head === 'sequence-classification' ? { labels: LABELS } : {});
}

export const INPUT_IDS = [
  [2, 7, 9, 11, 3, 0],
  [2, 14, 5, 3, 0, 0],
];
export const MASK = [
  [1, 1, 1, 1, 1, 0],
  [1, 1, 1, 1, 0, 0],
];

/** Logits (eval mode) for the fixed batch, as nested arrays. */
export function logitsOf(model: BertModel): Float32Array {
  return tf.tidy(() => {
    const out = model.forward({ inputIds: tf.tensor2d(INPUT_IDS, undefined, 'int32'), attentionMask: tf.tensor2d(MASK, undefined, 'int32') });
    return (out.logits ?? out.lastHiddenState).dataSync() as Float32Array;
  });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** A copy of every parameter's values by name. */
export function snapshot(model: BertModel): Map<string, Float32Array> {
  return new Map([...model.params].map(([name, v]) => [name, (v.dataSync() as Float32Array).slice()]));
}

/** Give every LoRA B / adapter up-projection random values so the branch is no longer the identity. */
export function perturb(model: BertModel, names: string[], seed = 7): void {
  names.forEach((name, i) => {
    const v = model.params.get(name)!;
    const next = tf.randomNormal(v.shape, 0, 0.2, 'float32', seed + i);
    v.assign(next);
    next.dispose();
  });
}
