/**
 * How a micro-batch is split among data-parallel replicas: each replica's rows, trimmed to its own
 * longest row, and its loss = sum over its positions ÷ the whole micro-batch's count — so the
 * replicas' losses add up to the whole batch's mean loss (and their gradients to its gradient).
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { createModel } from '@tunekit/model-loader';
import { countLabels, disposeBatch, gatherRows, sliceHostBatch, toBatch, type HostBatch } from '../src/data/batch.ts';
import { rowLengths } from '../src/data/rows.ts';
import { splitRows } from '../src/eval/evaluate-classifier.ts';
import { maskedCrossEntropy } from '../src/loop/loss.ts';
import { maskTokens } from '../src/mlm/masking.ts';
import { mlmBatchLoss, sparseDecoder } from '../src/mlm/task.ts';
import { useCpu } from './helpers/backend.ts';
import { syntheticNerSplit, TINY_CONFIG } from './helpers/tiny.ts';

beforeAll(() => useCpu());

const rows = splitRows(syntheticNerSplit('train', 16, 5), 'token-classification');
const lengths = rowLengths(rows);
const indices = [3, 0, 7, 11, 2, 9, 14];
const batchOf = (host: HostBatch) => toBatch(host, Array.from({ length: host.inputIds.length / host.length }, (_, i) => i), true);
const shardsOf = (host: HostBatch, workers: number, labelsPerToken = true) =>
  Array.from({ length: workers }, (_, r) => sliceHostBatch(host, Math.floor((indices.length * r) / workers), Math.floor((indices.length * (r + 1)) / workers), labelsPerToken));

describe('sliceHostBatch', () => {
  test('each shard keeps its rows, trimmed to its own longest row; tokens and labels add up', () => {
    const host = gatherRows(rows, indices, lengths);
    for (const workers of [2, 3]) {
      const shards = shardsOf(host, workers);
      expect(shards.reduce((a, s) => a + s.inputIds.length / s.length, 0)).toBe(indices.length);
      expect(shards.reduce((a, s) => a + s.tokens, 0)).toBe(host.tokens);
      expect(shards.reduce((a, s) => a + countLabels(s), 0)).toBe(countLabels(host));
      let row = 0;
      for (const s of shards) {
        const n = s.inputIds.length / s.length;
        const own = indices.slice(row, row + n);
        expect(s.length).toBe(Math.max(...own.map((i) => lengths[i]!)));
        for (let b = 0; b < n; b++) expect([...s.inputIds.subarray(b * s.length, (b + 1) * s.length)]).toEqual([...host.inputIds.subarray((row + b) * host.length, (row + b) * host.length + s.length)]);
        row += n;
      }
    }
  });

  test('MLM predict positions are re-indexed to the shard: the same labels are predicted', () => {
    const host = maskTokens(gatherRows(rows, indices, lengths), { probability: 0.3, maskId: 4, vocabSize: 40, specialIds: [0, 2, 3] }, 99);
    const labelsAt = (h: HostBatch) => [...h.predictPositions!].map((p) => h.labels![p]);
    const shards = shardsOf(host, 3);
    expect(shards.flatMap(labelsAt)).toEqual(labelsAt(host));
    expect(shards.every((s) => [...s.predictPositions!].every((p) => s.labels![p] !== -100))).toBe(true);
  });

  test('per-row labels (sequence classification) are sliced by row', () => {
    const host: HostBatch = { ...gatherRows(rows, indices, lengths), labels: Int32Array.from(indices) };
    expect(shardsOf(host, 2, false).flatMap((s) => [...s.labels!])).toEqual(indices);
  });
});

describe('shard losses', () => {
  test('token classification and MLM: the shards\' sums ÷ the batch count add up to the batch mean (within 1e-6)', () => {
    const model = createModel({ ...TINY_CONFIG, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }, 'token-classification', 3, { labels: ['O', 'B', 'I'] });
    const mlm = createModel({ ...TINY_CONFIG, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }, 'masked-lm', 3);
    const decoder = sparseDecoder(mlm);
    const classify = (host: HostBatch, denominator?: number) =>
      tf.tidy(() => {
        const batch = batchOf(host);
        const logits = model.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds }).logits!;
        const value = maskedCrossEntropy(logits, batch.labels!, denominator).dataSync()[0]!;
        disposeBatch(batch);
        return value;
      });
    const masked = (host: HostBatch, denominator?: number) => {
      const batch = batchOf(host);
      const value = tf.tidy(() => mlmBatchLoss(mlm, decoder, batch, false, undefined, denominator).dataSync()[0]!);
      disposeBatch(batch);
      return value;
    };
    const host = gatherRows(rows, indices, lengths);
    const mlmHost = maskTokens(host, { probability: 0.3, maskId: 4, vocabSize: 40, specialIds: [0, 2, 3] }, 7);
    for (const [loss, batch] of [[classify, host], [masked, mlmHost]] as const) {
      const mean = loss(batch);
      for (const workers of [2, 3]) {
        const total = shardsOf(batch, workers).reduce((a, s) => a + loss(s, countLabels(batch)), 0);
        expect(Math.abs(total - mean)).toBeLessThan(1e-6);
      }
      expect(mean).toBeGreaterThan(0.5);
    }
    model.dispose();
    mlm.dispose();
  });
});
