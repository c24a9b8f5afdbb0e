/**
 * Inverted dropout with a counter-based mask: element i is kept when hash(seed, i) < keep · 2³², and
 * kept elements are scaled by 1/keep. The mask is drawn in one JavaScript pass straight into a
 * Float32Array (0 or 1/keep) and applied with one `mul`, whose gradient is `dy · mask` — instead
 * of `tf.dropout`'s seeded `randomUniform` (a slow JavaScript generator) + `add` + `floor` + `div`
 * + `mul`, five passes and four temporaries per site. The same (shape, rate, seed) gives the same
 * mask on every backend and platform.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nativeDropoutMask } from '../kernels/native/dropout-mask.ts';

/** Chris Wellons' "lowbias32" integer hash: a bijection on 32-bit integers with good avalanche. */
function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The dropout mask for `count` elements: 0 where dropped, 1/(1-rate) where kept. */
export function dropoutMask(count: number, rate: number, seed: number): Float32Array {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  const keep = 1 - rate;
  const scale = 1 / keep;
  const threshold = Math.floor(keep * 4294967296);
  const base = hash32((seed >>> 0) ^ 0x5bd1e995);
  const mask = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (hash32((base + Math.imul(i, 0x9e3779b9)) >>> 0) < threshold) mask[i] = scale;
  }
  return mask;
}

/**
 * Inverted dropout of `x` (identity when rate is 0). `seed` makes the mask reproducible; without
 * one a random seed is drawn.
 */
export function dropout(x: tf.Tensor, rate: number, seed?: number): tf.Tensor {
  if (rate <= 0) return x;
  const maskSeed = seed ?? Math.floor(Math.random() * 4294967296);
  return tf.tidy(() => {
    // On wasm with @tunekit/native the same mask is drawn natively, straight into the heap.
    const mask = nativeDropoutMask(x.shape, rate, maskSeed) ?? tf.tensor(dropoutMask(x.size, rate, maskSeed), x.shape, 'float32');
    return tf.mul(x, mask);
  });
}
