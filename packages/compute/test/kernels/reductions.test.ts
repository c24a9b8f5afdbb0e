import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, onCpuAndWasm, randn } from '../helpers/backends.ts';

describe('wasm reductions (Sum over leading axes, UnsortedSegmentSum)', () => {
  it.each([
    [[64, 12], [0], false],
    [[4, 16, 12], [0, 1], false],
    [[4, 16, 12], [0], true],
    [[4, 16, 12], [2], false],
    [[4, 16, 12], [0, 1, 2], false],
  ])('sums %j over %j (keepDims %s) as the cpu backend', async (shape, axis, keepDims) => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.sum(randn(shape as number[], 15), axis as number[], keepDims as boolean));
    expectClose(wasm, cpu, 1e-6);
  });

  it('sums rows into segments as the cpu backend, dropping out-of-range ids', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.unsortedSegmentSum(randn([6, 3], 16), tf.tensor1d([2, 0, 2, 5, -1, 1], 'int32'), 4));
    expectClose(wasm, cpu, 1e-6);
    expect(wasm[0].slice(9, 12)).toEqual(new Float32Array(3)); // segment 3 got nothing
  });

  it('gives the embedding (gather) gradient with repeated ids as the cpu backend', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => {
      const ids = tf.tensor2d([[1, 1, 4], [0, 4, 4]], [2, 3], 'int32');
      return tf.grad((table: tf.Tensor) => tf.sum(tf.mul(tf.gather(table, ids), randn([2, 3, 5], 17))))(randn([6, 5], 18));
    });
    expectClose(wasm, cpu, 1e-6);
  });
});
