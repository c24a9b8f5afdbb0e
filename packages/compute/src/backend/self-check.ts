/**
 * Does the compute path actually work here? Selects the backend as a stage would (fast kernels,
 * gemm engine, native kernels) and compares one matMul with its float64 definition. Loads tfjs
 * (about a second): for `tunekit doctor`, not for every run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './select.ts';

export interface SelfCheck {
  backend: string;
  gemm?: string;
  /** Largest |error| of a 48×40 · 40×56 product, relative to Σ|a·b| of its entry. */
  relativeError: number;
  /** float32 bound for a 40-term dot product: 40 · 2^-24 (the check passes below it). */
  bound: number;
  ok: boolean;
}

export async function selfCheck(): Promise<SelfCheck> {
  const selected = await selectBackend();
  const [m, k, n] = [48, 40, 56];
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.11));
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])));
  const c = (await product.data()) as Float32Array;
  product.dispose();
  let relativeError = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let exact = 0;
      let magnitude = 0;
      for (let p = 0; p < k; p++) {
        exact += a[i * k + p]! * b[p * n + j]!;
        magnitude += Math.abs(a[i * k + p]! * b[p * n + j]!);
      }
      relativeError = Math.max(relativeError, Math.abs(c[i * n + j]! - exact) / magnitude);
    }
  }
  const bound = k * 2 ** -24;
  return { backend: selected.backend, ...(selected.gemm ? { gemm: selected.gemm } : {}), relativeError, bound, ok: relativeError <= bound };
}
