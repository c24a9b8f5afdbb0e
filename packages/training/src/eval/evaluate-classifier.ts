/**
 * Validation of a classification model: mean cross-entropy, then entity-level P/R/F1 with seqeval's
 * default mode (from @tunekit/evaluation) for token classification, or accuracy / macro-F1 for
 * sequence classification.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EncodedSplit, Task } from '@tunekit/data-prep';
import { classificationMetrics, nerMetrics } from './metrics.ts';
import type { BertModel } from '@tunekit/model-loader';
import { gatherRows, toBatch, disposeBatch } from '../data/batch.ts';
import { evaluationBatches } from '../data/order.ts';
import { rowLengths, type Rows } from '../data/rows.ts';
import { wordLevelTags } from './word-predictions.ts';

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

export async function evaluateClassifier(model: BertModel, split: EncodedSplit, task: Task, labels: string[], batchSize: number): Promise<Record<string, number>> {
  const rows = splitRows(split, task);
  const lengths = rowLengths(rows);
  const perToken = task === 'token-classification';
  const predicted = new Int32Array(perToken ? split.numRows * split.seqLen : split.numRows);
  let lossSum = 0;
  let lossCount = 0;
  for (const indices of evaluationBatches(lengths, batchSize)) {
    const host = gatherRows(rows, indices, lengths);
    const batch = toBatch(host, indices, perToken);
    const [argmax, nll] = tf.tidy(() => {
      const logits = model.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds }).logits!;
      const classes = logits.shape[logits.shape.length - 1]!;
      const flatLabels = tf.reshape(batch.labels!, [-1]);
      const valid = tf.notEqual(flatLabels, tf.scalar(-100, 'int32'));
      const logProbs = tf.logSoftmax(tf.reshape(logits, [-1, classes]));
      const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.where(valid, flatLabels, tf.zerosLike(flatLabels)) as tf.Tensor1D, classes)), -1);
      return [tf.argMax(logits, -1), tf.neg(tf.mul(picked, tf.cast(valid, 'float32')))];
    });
    const ids = argmax.dataSync() as Int32Array;
    const losses = nll.dataSync() as Float32Array;
    const validLabels = host.labels!;
    for (let i = 0; i < validLabels.length; i++) {
      if (validLabels[i] === -100) continue;
      lossSum += losses[i]!;
      lossCount += 1;
    }
    indices.forEach((row, b) => {
      if (perToken) predicted.set(ids.subarray(b * host.length, (b + 1) * host.length), row * split.seqLen);
      else predicted[row] = ids[b]!;
    });
    tf.dispose([argmax, nll]);
    disposeBatch(batch);
  }
  const loss = lossCount > 0 ? lossSum / lossCount : 0;
  if (perToken) {
    const { gold, pred } = wordLevelTags(split, predicted, labels);
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
