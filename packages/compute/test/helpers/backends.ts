/** Runs the same computation on the cpu backend (reference) and on wasm with TuneKit's fast kernels. */
import { expect } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend } from '../../src/backend/index.ts';

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await chooseBackend({ env: { TUNEKIT_BACKEND: name } });
}

export { values, randn } from './values.ts';

/** Evaluates `build` on cpu then on wasm; returns both results as plain arrays. */
export async function onCpuAndWasm(build: () => tf.Tensor | tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const run = async (name: 'cpu' | 'wasm') => {
    await useBackend(name);
    const result = tf.tidy(build);
    const list = Array.isArray(result) ? result : [result];
    const data = list.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(list);
    return data;
  };
  return { cpu: await run('cpu'), wasm: await run('wasm') };
}

/** max |a - b| / (1 + |b|) over all elements: relative for large values, absolute near zero. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return worst;
}

export function expectClose(actual: Float32Array[], expected: Float32Array[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(maxRelError(a, expected[i])).toBeLessThan(tolerance));
}
