import { describe, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { activation, attention, embeddingLookup, layerNorm, linear } from '../../src/ops/index.ts';
import { expectClose, onCpuAndWasm, randn } from '../helpers/backends.ts';

/** A small BERT layer through every primitive: embeddings → attention (padded keys) → LayerNorm → FFN with GELU. */
function layerGradients(): tf.Tensor[] {
  const [batch, length, hidden, heads, ffn, vocab] = [2, 5, 8, 2, 16, 11];
  const params = {
    table: randn([vocab, hidden], 31),
    wq: randn([hidden, hidden], 32), wk: randn([hidden, hidden], 33), wv: randn([hidden, hidden], 34),
    bq: randn([hidden], 35), gamma: tf.add(1, tf.mul(randn([hidden], 36), 0.1)), beta: randn([hidden], 37),
    w1: randn([ffn, hidden], 38), b1: randn([ffn], 39), w2: randn([hidden, ffn], 40),
  };
  const ids = tf.tensor2d([[1, 4, 4, 9, 0], [3, 3, 10, 0, 0]], [batch, length], 'int32');
  const mask = tf.tensor2d([[1, 1, 1, 1, 0], [1, 1, 1, 0, 0]], [batch, length]) as tf.Tensor2D;
  const target = randn([batch, length, hidden], 41);
  const names = Object.keys(params) as (keyof typeof params)[];
  const loss = (...values: tf.Tensor[]) => {
    const p = Object.fromEntries(names.map((n, i) => [n, values[i]])) as typeof params;
    const x = embeddingLookup(p.table as tf.Tensor2D, ids) as tf.Tensor3D;
    const ctx = attention(linear(x, p.wq as tf.Tensor2D, p.bq as tf.Tensor1D) as tf.Tensor3D, linear(x, p.wk as tf.Tensor2D) as tf.Tensor3D, linear(x, p.wv as tf.Tensor2D) as tf.Tensor3D, mask, { numHeads: heads });
    const h = layerNorm(tf.add(ctx, x), p.gamma as tf.Tensor1D, p.beta as tf.Tensor1D, 1e-12);
    const out = linear(activation(linear(h, p.w1 as tf.Tensor2D, p.b1 as tf.Tensor1D), 'gelu'), p.w2 as tf.Tensor2D);
    return tf.sum(tf.mul(out, target)) as tf.Scalar;
  };
  return tf.grads(loss)(names.map((n) => params[n]));
}

describe('layer primitives on wasm with the fast kernels', () => {
  it('give the same gradients for every parameter of a BERT layer as the cpu reference', async () => {
    const { cpu, wasm } = await onCpuAndWasm(layerGradients);
    expectClose(wasm, cpu, 1e-4);
  });
});
