/** The benchmark's synthetic batches and loss, shared by the single-process step and the data-parallel replicas. */
import * as tf from '@tensorflow/tfjs-core';
import type { BenchModel } from './bert-model.ts';

export const LABELS = 9;
export const VOCAB = 30522;

export interface Batch {
  ids: tf.Tensor2D;
  labels: tf.Tensor2D;
  mask: tf.Tensor2D;
}

/** Four fixed batches (seeded), cycled through by step. Rows [rowStart, rowEnd) only when sharded. */
export function syntheticBatches(batch: number, seq: number, rows?: { start: number; end: number }): Batch[] {
  return Array.from({ length: 4 }, (_, i) =>
    tf.tidy(() => {
      const ids = tf.randomUniform([batch, seq], 5, VOCAB, 'int32', 100 + i) as tf.Tensor2D;
      const labels = tf.randomUniform([batch, seq], 0, LABELS, 'int32', 200 + i) as tf.Tensor2D;
      const take = (t: tf.Tensor2D) => (rows ? tf.slice(t, [rows.start, 0], [rows.end - rows.start, seq]) : t);
      return { ids: take(ids), labels: take(labels), mask: tf.ones([rows ? rows.end - rows.start : batch, seq], 'int32') as tf.Tensor2D };
    }),
  );
}

/** Token-level cross-entropy summed over this batch's tokens, divided by `tokens` (the whole batch's token count). */
export function tokenLoss(model: BenchModel, batch: Batch, seed: number, tokens: number): tf.Scalar {
  const logits = model.logits(batch.ids, batch.mask, seed);
  const flat = tf.reshape(logits, [-1, LABELS]);
  const picked = tf.mul(tf.logSoftmax(flat), tf.oneHot(tf.reshape(batch.labels, [-1]), LABELS));
  return tf.neg(tf.div(tf.sum(picked), tokens)) as tf.Scalar;
}
