import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { randn, useBackend } from '../helpers/backends.ts';

const here = dirname(fileURLToPath(import.meta.url));

describe('threaded-SIMD wasm in Node (TUNEKIT_WASM_THREADS=2)', () => {
  // A separate process: the backend is initialised once per process, and Jest's VM sandbox does not
  // see the global Blob patch the threaded start-up relies on.
  it('starts with 2 XNNPACK threads and computes products and gradients bit-identical to 1 thread', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(here, '../fixtures/threaded-matmul.ts')], { timeout: 90_000 });
    const threaded = JSON.parse(stdout.trim().split('\n').pop()!) as { backend: string; threads: number; product: number[]; grads: number[][] };
    expect(threaded.backend).toBe('wasm');
    expect(threaded.threads).toBe(2);

    await useBackend('wasm');
    const product = Array.from(tf.matMul(randn([96, 64], 61), randn([64, 48], 62)).dataSync());
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b, false, true))))([randn([40, 24], 63), randn([16, 24], 64)]);
    expect(threaded.product).toEqual(product);
    expect(threaded.grads).toEqual(grads.map((g) => Array.from(g.dataSync())));
  });
});
