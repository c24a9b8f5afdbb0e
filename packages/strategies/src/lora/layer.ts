/**
 * The LoRA branch on one linear module: y = base(x) + scaling · dropout(x)·Aᵀ·Bᵀ, with
 * A [r, in] (Kaiming-uniform, as PEFT) and B [out, r] (zeros), so the model is unchanged at init.
 * Merge/unmerge assign NEW tensors to the base weight variable (never write into its buffer:
 * XNNPACK caches packed matMul weights per tensor).
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropout, linear } from '@tunekit/compute';
import type { LinearWrapper } from '@tunekit/model-loader';

export interface LoraLayer {
  module: string;
  a: tf.Variable; // [r, in]
  b: tf.Variable; // [out, r]
  scaling: number;
  dropout: number;
  /** Distinguishes this module's dropout masks from other modules' at the same step. */
  seedOffset: number;
  merged: boolean;
}

export function loraWrapper(layer: LoraLayer): LinearWrapper {
  return (x, base, options) => {
    if (layer.merged) return base(x);
    return tf.tidy(() => {
      const input = options.training && layer.dropout > 0 ? dropout(x, layer.dropout, (options.seed ?? 0) + layer.seedOffset) : x;
      const update = linear(linear(input, layer.a as tf.Tensor2D), layer.b as tf.Tensor2D);
      return tf.add(base(x), tf.mul(update, layer.scaling));
    });
  };
}

/** scaling · B·A, shaped like the base weight [out, in]. */
export function loraDelta(layer: LoraLayer): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.matMul(layer.b, layer.a), layer.scaling) as tf.Tensor2D);
}

export function mergeLayer(layer: LoraLayer, weight: tf.Variable): void {
  if (layer.merged) return;
  const next = tf.tidy(() => tf.add(weight, loraDelta(layer)));
  weight.assign(next);
  next.dispose();
  layer.merged = true;
}

export function unmergeLayer(layer: LoraLayer, weight: tf.Variable): void {
  if (!layer.merged) return;
  const next = tf.tidy(() => tf.sub(weight, loraDelta(layer)));
  weight.assign(next);
  next.dispose();
  layer.merged = false;
}
