/** Gradient clipping by global L2 norm, as `torch.nn.utils.clip_grad_norm_` (scale = max_norm / (norm + 1e-6) when norm > max_norm). */
import * as tf from '@tensorflow/tfjs-core';

export function globalNorm(grads: Record<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/** Returns clipped gradients (new tensors when clipping applies, the same tensors otherwise). */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, maxNorm: number): Record<string, tf.Tensor> {
  const norm = globalNorm(grads);
  const value = norm.dataSync()[0];
  norm.dispose();
  const scale = maxNorm / (value + 1e-6);
  if (scale >= 1) return grads;
  return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
}
