import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { openBlasStatus } from '@tunekit/native';
import { useGemm } from '../../src/kernels/gemm.ts';
import { randn, useBackend } from '../helpers/backends.ts';

const here = dirname(fileURLToPath(import.meta.url));

interface Threaded {
  backend: string;
  threads: number;
  gemm: string | null;
  product: number[];
  grads: number[][];
}

/** The fixture in its own process (the backend is initialised once per process, and Jest's VM sandbox does not see the global Blob patch the threaded start-up relies on). */
async function threadedRun(gemm: 'xnnpack' | 'openblas'): Promise<Threaded> {
  // The caller's environment (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE, ...) is passed on unchanged.
  const env = { ...process.env, TUNEKIT_GEMM: gemm };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(here, '../fixtures/threaded-matmul.ts')], { timeout: 90_000, env });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Threaded;
}

/** The same computation in this process, single-threaded, with the given matMul engine. */
async function singleThreaded(gemm: 'xnnpack' | 'openblas'): Promise<{ product: number[]; grads: number[][] }> {
  await useBackend('wasm');
  useGemm(gemm);
  try {
    const product = Array.from(tf.matMul(randn([96, 64], 61), randn([64, 48], 62)).dataSync());
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b, false, true))))([randn([40, 24], 63), randn([16, 24], 64)]);
    return { product, grads: grads.map((g) => Array.from(g.dataSync())) };
  } finally {
    useGemm(process.env.TUNEKIT_GEMM === 'xnnpack' || !openBlasStatus().available ? 'xnnpack' : 'openblas');
  }
}

/** max |a − b| / (1 + |b|). */
function worstRelative(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, value, i) => Math.max(worst, Math.abs(value - b[i]) / (1 + Math.abs(b[i]))), 0);
}

describe('threaded-SIMD wasm in Node (TUNEKIT_WASM_THREADS=2)', () => {
  // XNNPACK splits a product by output tiles: every output is one thread's dot product in the same
  // order, whatever the thread count. That is guaranteed by its design, so bit-identity is asserted.
  it('starts with 2 XNNPACK threads and computes products and gradients bit-identical to 1 thread', async () => {
    const threaded = await threadedRun('xnnpack');
    expect(threaded.backend).toBe('wasm');
    expect(threaded.threads).toBe(2);
    expect(threaded.gemm).toBe('xnnpack');
    const single = await singleThreaded('xnnpack');
    expect(threaded.product).toEqual(single.product);
    expect(threaded.grads).toEqual(single.grads);
  });

  // OpenBLAS with 2 threads may partition a product differently depending on its kernel family
  // (OPENBLAS_CORETYPE) and cache sizes (OPENBLAS_L2_SIZE): not bit-identical on every machine, so
  // the thread count is in the gemm fingerprint and only float32 accuracy is asserted.
  const openblas = openBlasStatus().available || process.env.TUNEKIT_GEMM === 'openblas' ? it : it.skip;
  openblas('gives OpenBLAS 2 threads, says so in the gemm detail, and stays within float32 accuracy of 1 thread', async () => {
    const threaded = await threadedRun('openblas');
    expect(threaded.threads).toBe(2);
    expect(threaded.gemm).toMatch(/^openblas \S+ \S+.*, 2 threads$/);
    const single = await singleThreaded('openblas');
    // k ≤ 64 products of values ~N(0,1): the float32 dot-product bound γ_k·Σ|a·b| is below 1e-4 relative here.
    expect(worstRelative(threaded.product, single.product)).toBeLessThan(1e-4);
    threaded.grads.forEach((g, i) => expect(worstRelative(g, single.grads[i])).toBeLessThan(1e-4));
  });
});
