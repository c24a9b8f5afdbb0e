import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, onCpuAndWasm, randn, useBackend } from '../helpers/backends.ts';

// fp32 products of length ≤ 96 accumulated in different orders: agree to ~1e-6 relative.
const TOL = 1e-5;

describe('wasm BatchMatMul (always XNNPACK)', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('2-D product with transposeA=%s transposeB=%s equals the cpu reference', async (ta, tb) => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.matMul(randn(ta ? [40, 33] : [33, 40], 1), randn(tb ? [17, 40] : [40, 17], 2), ta, tb));
    expectClose(wasm, cpu, TOL);
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
  ])('batched [2,3,·,·] products (transposeA=%s transposeB=%s) equal the cpu reference', async (ta, tb) => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.matMul(randn(ta ? [2, 3, 20, 9] : [2, 3, 9, 20], 3), randn(tb ? [2, 3, 11, 20] : [2, 3, 20, 11], 4), ta, tb));
    expectClose(wasm, cpu, TOL);
  });

  it('folds a batched left operand against a 2-D right operand into one product', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.matMul(randn([4, 7, 12], 5), randn([12, 5], 6)));
    expectClose(wasm, cpu, TOL);
  });

  it('keeps tfjs semantics for broadcasting it does not handle itself (batch 1 on the left)', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.matMul(randn([1, 7, 12], 7), randn([3, 12, 5], 8)));
    expectClose(wasm, cpu, TOL);
  });

  it('gives the gradients of a dense layer equal to the cpu reference', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => {
      const f = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, w, false, true)));
      return tf.grads(f)([randn([24, 16], 9), randn([8, 16], 10)]);
    });
    expectClose(wasm, cpu, TOL);
  });

  it.each([
    [[2048, 96], [2048, 24]],
    [[2, 3, 40, 13], [2, 3, 40, 5]],
  ])('computes aᵀ·b with a %j larger than b %j as (bᵀ·a)ᵀ, bit-identical to transposing a', async (aShape, bShape) => {
    await useBackend('wasm');
    const [a, b] = [randn(aShape, 11), randn(bShape, 12)];
    const swapped = tf.matMul(a, b, true, false).dataSync();
    const direct = tf.matMul(tf.transpose(a, [...aShape.keys()].map((i) => (i < aShape.length - 2 ? i : 2 * aShape.length - 3 - i))), b).dataSync();
    expect(Array.from(swapped)).toEqual(Array.from(direct));
    tf.dispose([a, b]);
  });

  it('reports mismatched inner dimensions', async () => {
    await useBackend('wasm');
    expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 5]))).toThrow(/inner/);
  });
});
