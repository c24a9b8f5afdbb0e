/** Deterministic test values (a small LCG), independent of any backend's RNG. */
import * as tf from '@tensorflow/tfjs-core';

export function values(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export const randn = (shape: number[], seed = 1): tf.Tensor => tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);
