import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { layerNormFast } from '../../src/kernels/layer-norm/op.ts';
import { maxRelError, randn, useBackend } from '../helpers/backends.ts';

const reference = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number) => {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  return tf.add(tf.mul(tf.div(centered, tf.sqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps))), g), b);
};

describe.each(['cpu', 'wasm'] as const)('fast LayerNorm (custom gradient) on %s', (backend) => {
  const x = () => tf.add(tf.mul(randn([3, 4, 16], 51), 3), 0.5);
  const gamma = () => tf.add(1, tf.mul(randn([16], 52), 0.2)) as tf.Tensor1D;
  const beta = () => randn([16], 53) as tf.Tensor1D;

  it('equals the reference LayerNorm (biased variance, eps inside the sqrt)', async () => {
    await useBackend(backend);
    expect(maxRelError(layerNormFast(x(), gamma(), beta(), 1e-5).dataSync(), reference(x(), gamma(), beta(), 1e-5).dataSync())).toBeLessThan(2e-6);
  });

  it('has the analytic gradients (x, γ, β) of the reference', async () => {
    await useBackend(backend);
    const w = randn([3, 4, 16], 54);
    const f = (impl: typeof reference) => tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(impl(a, g, b, 1e-12), w)))([x(), gamma(), beta()]);
    const fast = f((a, g, b, eps) => layerNormFast(a, g as tf.Tensor1D, b as tf.Tensor1D, eps));
    const ref = f(reference);
    fast.forEach((grad, i) => expect(maxRelError(grad.dataSync(), ref[i].dataSync())).toBeLessThan(1e-5));
  });
});

describe('fast LayerNorm gradient', () => {
  it('equals central finite differences on cpu', async () => {
    await useBackend('cpu');
    const x0 = Array.from(randn([6], 55).dataSync()).map((v) => 2 * v);
    const g = tf.tensor1d([0.5, 1, 1.5, -1, 2, 0.3]);
    const b = tf.zeros([6]) as tf.Tensor1D;
    const w = [0.3, -1, 2, 0.7, -0.4, 1.1];
    const loss = (v: number[]) => tf.sum(tf.mul(layerNormFast(tf.tensor2d([v]), g as tf.Tensor1D, b, 1e-5), tf.tensor2d([w]))).dataSync()[0];
    const analytic = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layerNormFast(t, g as tf.Tensor1D, b, 1e-5), tf.tensor2d([w]))))(tf.tensor2d([x0])).dataSync();
    const h = 1e-2;
    x0.forEach((_, i) => {
      const up = [...x0];
      const down = [...x0];
      up[i] += h;
      down[i] -= h;
      expect(Math.abs(analytic[i] - (loss(up) - loss(down)) / (2 * h))).toBeLessThan(2e-3);
    });
  });
});
