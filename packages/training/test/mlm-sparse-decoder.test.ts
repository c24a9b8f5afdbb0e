import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { createModel } from '@tunekit/model-loader';
import { gatherRows, toBatch } from '../src/data/batch.ts';
import { rowLengths } from '../src/data/rows.ts';
import { maskedCrossEntropy } from '../src/loop/loss.ts';
import { maskTokens } from '../src/mlm/masking.ts';
import { mlmBatchLoss, sparseDecoder } from '../src/mlm/task.ts';
import { useCpu } from './helpers/backend.ts';
import { TINY_CONFIG } from './helpers/tiny.ts';

beforeAll(() => useCpu());

describe('MLM loss with the decoder only at masked positions', () => {
  test('equals the cross-entropy of the full [B, L, vocab] logits (within 1e-6)', () => {
    const model = createModel(TINY_CONFIG, 'masked-lm', 3);
    const rows = {
      numRows: 4,
      seqLen: 10,
      inputIds: Int32Array.from({ length: 40 }, (_, i) => (i % 10 === 0 ? 2 : i % 10 === 9 ? 3 : 5 + ((i * 7) % 30))),
      attentionMask: new Int32Array(40).fill(1),
      tokenTypeIds: new Int32Array(40),
      labelsPerToken: true,
    };
    const lengths = rowLengths(rows);
    const host = maskTokens(gatherRows(rows, [0, 1, 2, 3], lengths), { probability: 0.3, maskId: 4, vocabSize: 40, specialIds: [0, 2, 3] }, 5);
    expect(host.predictPositions!.length).toBeGreaterThan(3);
    const batch = toBatch(host, [0, 1, 2, 3], true);
    const full = tf.tidy(() => maskedCrossEntropy(model.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask }).logits!, batch.labels!).dataSync()[0]!);
    const decoder = sparseDecoder(model);
    const sparse = tf.tidy(() => mlmBatchLoss(model, decoder, batch, false).dataSync()[0]!);
    expect(Math.abs(sparse - full)).toBeLessThanOrEqual(1e-6);
    // Outside a batch the wrapper is transparent: full logits again.
    expect(tf.tidy(() => model.forward({ inputIds: batch.inputIds }).logits!.shape)).toEqual([4, 10, 40]);
    model.dispose();
  });
});
