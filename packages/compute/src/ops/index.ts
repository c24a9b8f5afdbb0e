/**
 * Layer primitives used by every model in TuneKit. The signatures are the contract; the bodies
 * are the plain tfjs reference implementation (the fast paths replace them and are checked
 * against these by gradient tests).
 *
 * Conventions: weights use PyTorch/Hugging Face layout (`linear` weight is [out, in], y = x·Wᵀ + b).
 */
import * as tf from '@tensorflow/tfjs-core';
import { hasFastLayerNorm, layerNormFast, registerLayerNormKernels } from '../kernels/layer-norm/op.ts';
import { dropout } from './dropout.ts';
import { geluNative, hasNativeGelu } from '../kernels/native/gelu.ts';

export { dropout, dropoutMask } from './dropout.ts';

registerLayerNormKernels();

/**
 * Fast paths are on unless `TUNEKIT_REFERENCE_OPS=1` (which runs the plain reference bodies below,
 * e.g. to compare against them). Fused primitives: `layerNorm` (every backend) and, on wasm with
 * `@tunekit/native`, `gelu`.
 */
export const fastPathsEnabled = (): boolean => process.env.TUNEKIT_REFERENCE_OPS !== '1';

/** y = x · Wᵀ + b for x of shape [..., in], weight [out, in], bias [out]. */
export function linear(x: tf.Tensor, weight: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => {
    const inFeatures = x.shape[x.shape.length - 1];
    const flat = tf.reshape(x, [-1, inFeatures]) as tf.Tensor2D;
    let y: tf.Tensor = tf.matMul(flat, weight, false, true);
    if (bias) y = tf.add(y, bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), weight.shape[0]]);
  });
}

export type Activation = 'gelu' | 'gelu_new' | 'relu' | 'tanh' | 'silu';

/** Activations with Hugging Face semantics: `gelu` is the exact erf form, `gelu_new` the tanh approximation. */
export function activation(x: tf.Tensor, kind: Activation): tf.Tensor {
  return tf.tidy(() => {
    switch (kind) {
      case 'gelu':
        if (fastPathsEnabled() && hasNativeGelu()) return geluNative(x);
        return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
      case 'gelu_new': {
        const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
        return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner)));
      }
      case 'relu':
        return tf.relu(x);
      case 'tanh':
        return tf.tanh(x);
      case 'silu':
        return tf.mul(x, tf.sigmoid(x));
      default:
        throw new Error(`unknown activation "${kind as string}"`);
    }
  });
}

/** LayerNorm over the last axis (biased variance, as PyTorch). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor {
  if (fastPathsEnabled() && hasFastLayerNorm()) return layerNormFast(x, gamma, beta, eps);
  return tf.tidy(() => {
    const axis = x.shape.length - 1;
    const mean = tf.mean(x, axis, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), axis, true);
    return tf.add(tf.mul(tf.div(centered, tf.sqrt(tf.add(variance, eps))), gamma), beta);
  });
}

/** Rows of `table` ([vocab, hidden]) for integer `ids` of any shape → [...ids.shape, hidden]. */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const flat = tf.gather(table, tf.cast(tf.reshape(ids, [-1]), 'int32'));
    return tf.reshape(flat, [...ids.shape, table.shape[1]]);
  });
}

export interface AttentionOptions {
  numHeads: number;
  /** Attention-probability dropout rate (applied only when `training`). */
  dropout?: number;
  training?: boolean;
  /** Seed for dropout (deterministic training). */
  seed?: number;
}

/**
 * Multi-head scaled dot-product attention (BERT self-attention core, after the q/k/v projections).
 * q, k, v: [B, L, H]; mask: [B, L] with 1 for real tokens and 0 for padding (padded keys get
 * exactly zero weight, as Hugging Face's additive finfo.min mask). Returns the context [B, L, H].
 */
export function attention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: tf.Tensor2D | null, options: AttentionOptions): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, length, hidden] = q.shape;
    const heads = options.numHeads;
    const headSize = hidden / heads;
    const split = (t: tf.Tensor3D) => tf.transpose(tf.reshape(t, [batch, length, heads, headSize]), [0, 2, 1, 3]) as tf.Tensor4D;
    let scores: tf.Tensor = tf.div(tf.matMul(split(q), split(k), false, true), Math.sqrt(headSize));
    if (mask) {
      const additive = tf.reshape(tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -3.4028234663852886e38), [batch, 1, 1, length]);
      scores = tf.add(scores, additive);
    }
    let probs = tf.softmax(scores, -1);
    if (options.training && options.dropout && options.dropout > 0) probs = dropout(probs, options.dropout, options.seed);
    const context = tf.matMul(probs as tf.Tensor4D, split(v));
    return tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch, length, hidden]) as tf.Tensor3D;
  });
}
