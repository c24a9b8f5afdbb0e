import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../types.ts';
import type { ParameterSpec } from './parameter-layout.ts';

/**
 * Fresh values following HF `BertPreTrainedModel._init_weights`: linear weights and embeddings
 * ~ N(0, initializer_range), biases 0, LayerNorm weight 1 / bias 0, the padding row of the word
 * embeddings 0. Each tensor gets its own seed derived from `seed` and its name, so the values of
 * one parameter do not depend on which other parameters exist (a new head leaves the encoder alone).
 */
export function initialValue(spec: ParameterSpec, config: BertConfig, seed: number): tf.Tensor {
  const std = (config.initializer_range as number | undefined) ?? 0.02;
  switch (spec.kind) {
    case 'bias':
    case 'layer-norm-bias':
      return tf.zeros(spec.shape);
    case 'layer-norm-weight':
      return tf.ones(spec.shape);
    case 'linear-weight':
      return tf.randomNormal(spec.shape, 0, std, 'float32', nameSeed(seed, spec.name));
    case 'embedding': {
      const values = tf.randomNormal(spec.shape, 0, std, 'float32', nameSeed(seed, spec.name));
      const pad = config.pad_token_id;
      if (spec.name !== 'bert.embeddings.word_embeddings.weight' || typeof pad !== 'number') return values;
      const data = values.dataSync().slice();
      data.fill(0, pad * spec.shape[1], (pad + 1) * spec.shape[1]);
      values.dispose();
      return tf.tensor(data, spec.shape);
    }
  }
}

/**
 * Sinusoidal position vectors (Vaswani et al. 2017, §3.5: sin on even, cos on odd dimensions, wave
 * lengths 2π … 10000·2π) as the start of a *learned* position table, scaled so that each row's
 * norm is a normal row's expected norm (std·√width). A randomly initialised table gives neighbouring
 * positions unrelated vectors, and it stays so for millions of tokens (measured in the pilots:
 * adjacent-position cosine 0.05 after 9M MLM tokens), so attention cannot tell a neighbour from a
 * token 20 positions away; sinusoids make every offset a fixed linear map from the start.
 */
export function sinusoidalPositions(positions: number, width: number, std: number): tf.Tensor2D {
  const data = new Float32Array(positions * width);
  const scale = std * Math.SQRT2; // each (sin, cos) pair has norm 1: a row's norm is √(width/2)
  for (let pos = 0; pos < positions; pos++) {
    for (let i = 0; i < width; i += 2) {
      const angle = pos / Math.pow(10000, i / width);
      data[pos * width + i] = Math.sin(angle) * scale;
      if (i + 1 < width) data[pos * width + i + 1] = Math.cos(angle) * scale;
    }
  }
  return tf.tensor2d(data, [positions, width]);
}

/** FNV-1a of the name mixed with the seed: a stable 31-bit seed per parameter. */
export function nameSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 0x7fffffff;
}
