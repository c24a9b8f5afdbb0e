/**
 * The MLM task: masked-token cross-entropy of the masked-LM head; held-out loss with fixed masks.
 * The tied vocabulary decoder (the costliest matMul: hidden × vocab for every position) runs only
 * at the ~15% masked positions: the decoder module is wrapped (`model.wrapLinear`) to gather those
 * rows first. The loss is the same as on full logits (tested).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BertModel } from '@tunekit/model-loader';
import { disposeBatch, gatherRows, toBatch, type Batch, type HostBatch } from '../data/batch.ts';
import { evaluationBatches } from '../data/order.ts';
import { rowLengths, type Rows } from '../data/rows.ts';
import { maskedCrossEntropy } from '../loop/loss.ts';
import type { TrainTask } from '../loop/train-loop.ts';
import { maskTokens, type MaskingOptions } from './masking.ts';

export const DECODER = 'cls.predictions.decoder';

/** Wrap the decoder so it only sees the rows of `positions` (flat b·L + p) while a batch is set. */
export function sparseDecoder(model: BertModel): { set(positions: tf.Tensor1D | undefined): void; remove(): void } {
  let current: tf.Tensor1D | undefined;
  model.wrapLinear(DECODER, (x, base) => {
    if (!current) return base(x);
    const hidden = x.shape[x.shape.length - 1]!;
    return base(tf.gather(tf.reshape(x, [-1, hidden]), current));
  });
  return {
    set: (positions) => (current = positions),
    remove: () => model.wrapLinear(DECODER, null),
  };
}

/** Mean masked-token cross-entropy of one batch, or its sum ÷ `denominator` (a data-parallel shard). */
export function mlmBatchLoss(model: BertModel, decoder: ReturnType<typeof sparseDecoder>, batch: Batch, training: boolean, seed?: number, denominator?: number): tf.Scalar {
  decoder.set(batch.predictPositions);
  try {
    const { logits } = model.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds }, { training, seed });
    if (!logits) throw new Error('pretrain-mlm: the model has no masked-LM head');
    const labels = batch.predictPositions ? tf.gather(tf.reshape(batch.labels!, [-1]), batch.predictPositions) : batch.labels!;
    return maskedCrossEntropy(logits, labels, denominator);
  } finally {
    decoder.set(undefined);
  }
}

/** The held-out batches with their masks drawn from `seed` (batch b from seed + b): the same every evaluation. */
export function heldOutMaskedBatches(rows: Rows, masking: MaskingOptions, seed: number, batchSize: number): Array<{ indices: number[]; host: HostBatch }> {
  const lengths = rowLengths(rows);
  return evaluationBatches(lengths, batchSize).map((indices, b) => ({ indices, host: maskTokens(gatherRows(rows, indices, lengths), masking, seed + b) }));
}

/** Mean loss over masked tokens of `rows`, masks drawn from `seed` (the same every evaluation). */
export function heldOutMlmLoss(model: BertModel, decoder: ReturnType<typeof sparseDecoder>, rows: Rows, masking: MaskingOptions, seed: number, batchSize: number): number {
  let sum = 0;
  let count = 0;
  for (const { indices, host } of heldOutMaskedBatches(rows, masking, seed, batchSize)) {
    const n = host.predictPositions!.length;
    if (n === 0) continue;
    const batch = toBatch(host, indices, true);
    const loss = tf.tidy(() => mlmBatchLoss(model, decoder, batch, false));
    sum += loss.dataSync()[0]! * n;
    count += n;
    loss.dispose();
    disposeBatch(batch);
  }
  return count > 0 ? sum / count : NaN;
}

export function mlmTask(model: BertModel, train: Rows, validation: Rows | undefined, masking: MaskingOptions, evalSeed: number, evalBatchSize: number): TrainTask {
  const decoder = sparseDecoder(model);
  return {
    rows: train,
    prepare: (host, seed) => maskTokens(host, masking, seed),
    loss: (m, batch, seed) => mlmBatchLoss(m, decoder, batch, true, seed),
    evaluate: validation
      ? async (m) => {
          const loss = heldOutMlmLoss(m, decoder, validation, masking, evalSeed, evalBatchSize);
          return { eval_loss: loss, eval_perplexity: Math.exp(loss) };
        }
      : undefined,
  };
}
