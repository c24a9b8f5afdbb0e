import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { simplifyPermutation } from '../../src/kernels/wasm/transpose.ts';
import { onCpuAndWasm, randn, useBackend } from '../helpers/backends.ts';

// Layout kernels move values without arithmetic: results must be bit-identical.
describe('wasm layout kernels (Transpose, Slice, GatherV2, Identity)', () => {
  it.each([
    [[5, 7], [1, 0]],
    [[2, 3, 4, 5], [0, 2, 1, 3]],
    [[2, 3, 4, 5], [0, 1, 3, 2]],
    [[2, 1, 4, 5], [0, 2, 1, 3]],
    [[2, 3, 4], [2, 0, 1]],
    [[3, 4, 5], [1, 2, 0]],
    [[3, 4], [0, 1]],
  ])('transposes %j by %j exactly as the cpu backend', async (shape, perm) => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.transpose(randn(shape, 11), perm));
    expect(wasm).toEqual(cpu);
  });

  it('transposes int32 tensors', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.cast(tf.transpose(tf.cast(tf.mul(randn([6, 9], 3), 100), 'int32'), [1, 0]), 'float32'));
    expect(wasm).toEqual(cpu);
  });

  it('merges neighbouring axes of a permutation', () => {
    expect(simplifyPermutation([2, 3, 4], [2, 0, 1])).toEqual({ shape: [6, 4], perm: [1, 0] });
    expect(simplifyPermutation([2, 1, 4, 5], [0, 2, 1, 3])).toEqual({ shape: [40], perm: [0] });
  });

  it.each([
    [[6, 8], [1, 2], [3, 4]],
    [[4, 5, 6], [1, 0, 2], [2, 5, 3]],
    [[3, 4, 5, 6], [0, 1, 0, 3], [3, 2, 5, 2]],
    [[10], [3], [0]],
  ])('slices %j from %j size %j exactly as the cpu backend', async (shape, begin, size) => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.slice(randn(shape, 12), begin, size));
    expect(wasm).toEqual(cpu);
  });

  it('gathers rows (an embedding lookup) exactly as the cpu backend', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.gather(randn([50, 6], 13), tf.tensor2d([[3, 49, 0], [3, 7, 7]], [2, 3], 'int32')));
    expect(wasm).toEqual(cpu);
  });

  it('rejects an out-of-range row id', async () => {
    await useBackend('wasm');
    expect(() => tf.gather(tf.ones([4, 2]), tf.tensor1d([4], 'int32'))).toThrow('GatherV2: the index value 4 is not in [0, 3]');
  });

  it('gathers along other axes through tfjs', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.gather(randn([5, 6], 14), tf.tensor1d([5, 0, 2], 'int32'), 1));
    expect(wasm).toEqual(cpu);
  });

  it('clones without copying and keeps both tensors valid after either is disposed', async () => {
    await useBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
  });
});
