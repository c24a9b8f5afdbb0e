import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { activation } from '../../src/ops/index.ts';
import { erfc } from '../../src/kernels/gelu/math.ts';
import { geluFast } from '../../src/kernels/gelu/op.ts';
import { expectClose, maxRelError, onCpuAndWasm, randn, useBackend } from '../helpers/backends.ts';

const referenceGelu = (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));

describe('fast GELU (erf form, custom gradient)', () => {
  it('erfc matches known values to 1.2e-7 relative', () => {
    // erfc(0)=1, erfc(0.5)=0.4795001221869535, erfc(2)=0.004677734981047266, erfc(-1)=1.8427007929497148, erfc(5)=1.5374597944280349e-12
    for (const [z, want] of [[0, 1], [0.5, 0.4795001221869535], [2, 0.004677734981047266], [-1, 1.8427007929497148], [5, 1.5374597944280349e-12]]) {
      expect(Math.abs(erfc(z) - want) / want).toBeLessThan(1.2e-7);
    }
  });

  it.each(['cpu', 'wasm'] as const)('equals the reference erf GELU on %s to fp32 tolerance, tails included', async (backend) => {
    await useBackend(backend);
    const x = tf.concat([tf.mul(randn([4096], 21), 6), tf.tensor1d([-12, -8, -3, 0, 3, 8, 12])]);
    expect(maxRelError(geluFast(x).dataSync(), referenceGelu(x).dataSync())).toBeLessThan(1e-6);
  });

  it.each(['cpu', 'wasm'] as const)('has the analytic gradient of the reference GELU on %s', async (backend) => {
    await useBackend(backend);
    const x = tf.mul(randn([2048], 22), 5);
    const fast = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(geluFast(t), tf.sin(t))))(x);
    const ref = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(referenceGelu(t), tf.sin(t))))(x);
    expect(maxRelError(fast.dataSync(), ref.dataSync())).toBeLessThan(1e-5);
  });

  it('has a gradient equal to central finite differences (float64 on the host)', async () => {
    await useBackend('cpu');
    const points = [-4, -1.5, -0.3, 0, 0.2, 1, 2.5, 6];
    const g = tf.grad((t: tf.Tensor) => tf.sum(geluFast(t)))(tf.tensor1d(points)).dataSync();
    const f = (v: number) => 0.5 * v * erfc(-v / Math.SQRT2);
    points.forEach((v, i) => expect(Math.abs(g[i] - (f(v + 1e-4) - f(v - 1e-4)) / 2e-4)).toBeLessThan(1e-5));
  });

  it('is what activation(x, "gelu") runs, with the same values on cpu and wasm', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => activation(tf.mul(randn([64, 16], 23), 3), 'gelu'));
    expectClose(wasm, cpu, 1e-6);
  });
});
