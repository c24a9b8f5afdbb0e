import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { openBlasStatus } from '@tunekit/native';
import { expectClose, onCpuAndWasm, randn, useBackend } from '../helpers/backends.ts';
import { activeGemm, GEMM_ENV, useGemm, type GemmEngine } from '../../src/kernels/gemm.ts';

// fp32 products of length ≤ 96 accumulated in different orders: agree to ~1e-6 relative.
const TOL = 1e-5;
const initial: GemmEngine = activeGemm().engine;

// OpenBLAS is tested wherever it can load, and must load when the environment asks for it (CI does).
const engines: GemmEngine[] = openBlasStatus().available || process.env[GEMM_ENV] === 'openblas' ? ['xnnpack', 'openblas'] : ['xnnpack'];

describe.each(engines)('wasm BatchMatMul on %s', (engine) => {
  beforeAll(() => {
    expect(useGemm(engine).engine).toBe(engine);
  });
  afterAll(() => {
    useGemm(initial);
  });
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

  it.each([
    [[1, 7, 12], [3, 12, 5], false],
    [[2, 1, 12, 7], [3, 12, 5], true],
    [[3, 12, 7], [12, 5], true],
    [[2, 3, 7, 12], [2, 3, 12, 5], false],
  ])('keeps tfjs broadcasting semantics: %j · %j (transposeA=%s)', async (aShape, bShape, ta) => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.matMul(randn(aShape, 7), randn(bShape, 8), ta));
    expectClose(wasm, cpu, TOL);
  });

  it('handles empty operands (k = 0 gives zeros, m = 0 an empty result)', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => [tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 4])).add(1), tf.matMul(tf.zeros([0, 5]), randn([5, 4], 9))]);
    expect(wasm.map((x) => Array.from(x))).toEqual([new Array(12).fill(1), []]);
    expect(cpu.map((x) => Array.from(x))).toEqual([new Array(12).fill(1), []]);
  });

  it('sees tensors allocated after the heap grew (views are taken after the output exists)', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => {
      const big = tf.fill([64, 1024, 1024], 0.5); // 256 MB: the wasm heap has to grow
      return tf.matMul(randn([9, 31], 10), randn([31, 6], 11)).add(tf.sum(big).mul(0));
    });
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
  ])('computes aᵀ·b with a %j larger than b %j as transposing a first does (XNNPACK: bit-identical)', async (aShape, bShape) => {
    // XNNPACK computes it as (bᵀ·a)ᵀ: the same products in the same order. OpenBLAS reads either layout.
    await useBackend('wasm');
    const [a, b] = [randn(aShape, 11), randn(bShape, 12)];
    const swapped = tf.matMul(a, b, true, false).dataSync();
    const direct = tf.matMul(tf.transpose(a, [...aShape.keys()].map((i) => (i < aShape.length - 2 ? i : 2 * aShape.length - 3 - i))), b).dataSync();
    if (engine === 'xnnpack') expect(Array.from(swapped)).toEqual(Array.from(direct));
    else expectClose([swapped as Float32Array], [direct as Float32Array], TOL);
    tf.dispose([a, b]);
  });

  it('reports mismatched inner dimensions', async () => {
    await useBackend('wasm');
    expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 5]))).toThrow(/inner/);
  });
});
