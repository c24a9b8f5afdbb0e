/**
 * Validation of a classification model: mean cross-entropy, then entity-level P/R/F1 with seqeval's
 * default mode (from @tunekit/evaluation) for token classification — word tags decoded exactly as
 * evaluation/ner decodes them (`viterbi`: the best valid IOB2 sequence; or `argmax`) — or accuracy / macro-F1 for
 * sequence classification.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EncodedSplit, Task } from '@tunekit/data-prep';
import { classificationMetrics, nerMetrics, wordPredictions, type Decoding } from './metrics.ts';
import type { BertModel } from '@tunekit/model-loader';
import { gatherRows, toBatch, disposeBatch } from '../data/batch.ts';
import { evaluationBatches } from '../data/order.ts';
import { rowLengths, type Rows } from '../data/rows.ts';

export function splitRows(split: EncodedSplit, task: Task): Rows {
  return {
    numRows: split.numRows,
    seqLen: split.seqLen,
    inputIds: split.inputIds,
    attentionMask: split.attentionMask,
    tokenTypeIds: split.tokenTypeIds,
    labels: split.labels,
    labelsPerToken: task === 'token-classification',
  };
}

export async function evaluateClassifier(model: BertModel, split: EncodedSplit, task: Task, labels: string[], batchSize: number, decoding: Decoding = 'viterbi'): Promise<Record<string, number>> {
  const rows = splitRows(split, task);
  const lengths = rowLengths(rows);
  const perToken = task === 'token-classification';
  const predicted = new Int32Array(perToken ? 0 : split.numRows);
  // Token classification: every position's logits, decoded per sentence over its words afterwards.
  const tokenLogits = new Float32Array(perToken ? split.numRows * split.seqLen * labels.length : 0);
  let lossSum = 0;
  let lossCount = 0;
  for (const indices of evaluationBatches(lengths, batchSize)) {
    const host = gatherRows(rows, indices, lengths);
    const batch = toBatch(host, indices, perToken);
    const [argmax, nll, flatLogits] = tf.tidy(() => {
      const logits = model.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds }).logits!;
      const classes = logits.shape[logits.shape.length - 1]!;
      const flatLabels = tf.reshape(batch.labels!, [-1]);
      const valid = tf.notEqual(flatLabels, tf.scalar(-100, 'int32'));
      const logProbs = tf.logSoftmax(tf.reshape(logits, [-1, classes]));
      const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.where(valid, flatLabels, tf.zerosLike(flatLabels)) as tf.Tensor1D, classes)), -1);
      return [tf.argMax(logits, -1), tf.neg(tf.mul(picked, tf.cast(valid, 'float32'))), tf.reshape(logits, [-1])];
    });
    const ids = argmax.dataSync() as Int32Array;
    const losses = nll.dataSync() as Float32Array;
    const validLabels = host.labels!;
    for (let i = 0; i < validLabels.length; i++) {
      if (validLabels[i] === -100) continue;
      lossSum += losses[i]!;
      lossCount += 1;
    }
    const values = perToken ? (flatLogits.dataSync() as Float32Array) : undefined;
    const K = labels.length;
    indices.forEach((row, b) => {
      if (values) tokenLogits.set(values.subarray(b * host.length * K, (b + 1) * host.length * K), row * split.seqLen * K);
      else predicted[row] = ids[b]!;
    });
    tf.dispose([argmax, nll, flatLogits]);
    disposeBatch(batch);
  }
  const loss = lossCount > 0 ? lossSum / lossCount : 0;
  if (perToken) {
    const words = wordPredictions(split, tokenLogits, labels.length, 1, { labels, decoding });
    const gold = split.examples.map((example) => (example as { tags: string[] }).tags);
    const pred = words.labels.map((ids) => Array.from(ids, (id) => labels[id]!));
    const metrics = nerMetrics(gold, pred);
    return {
      eval_loss: loss,
      eval_f1: metrics.default.micro.f1,
      eval_precision: metrics.default.micro.precision,
      eval_recall: metrics.default.micro.recall,
      eval_accuracy: metrics.tokenAccuracy,
    };
  }
  const gold = Array.from(split.labels, (id) => labels[id]!);
  const metrics = classificationMetrics({ labels, gold, pred: Array.from(predicted, (id) => labels[id]!) });
  return { eval_loss: loss, eval_accuracy: metrics.accuracy, eval_f1: metrics.macro.f1, eval_micro_f1: metrics.micro.f1 };
}
