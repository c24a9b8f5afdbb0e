/** The MLM task: masked-token cross-entropy of the masked-LM head; held-out loss with fixed masks. */
import * as tf from '@tensorflow/tfjs-core';
import type { BertModel } from '@tunekit/model-loader';
import { disposeBatch, gatherRows, toBatch } from '../data/batch.ts';
import { evaluationBatches } from '../data/order.ts';
import { rowLengths, type Rows } from '../data/rows.ts';
import { maskedCrossEntropy } from '../loop/loss.ts';
import type { TrainTask } from '../loop/train-loop.ts';
import { maskTokens, type MaskingOptions } from './masking.ts';

const mlmLoss = (model: BertModel, batch: ReturnType<typeof toBatch>, training: boolean, seed?: number): tf.Scalar => {
  const { logits } = model.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds }, { training, seed });
  if (!logits) throw new Error('pretrain-mlm: the model has no masked-LM head');
  return maskedCrossEntropy(logits, batch.labels!);
};

/** Mean loss over masked tokens of `rows`, masks drawn from `seed` (the same every evaluation). */
export function heldOutMlmLoss(model: BertModel, rows: Rows, masking: MaskingOptions, seed: number, batchSize: number): number {
  const lengths = rowLengths(rows);
  let sum = 0;
  let count = 0;
  evaluationBatches(lengths, batchSize).forEach((indices, b) => {
    const host = maskTokens(gatherRows(rows, indices, lengths), masking, seed + b);
    const n = host.labels!.reduce((acc, l) => acc + (l === -100 ? 0 : 1), 0);
    if (n === 0) return;
    const batch = toBatch(host, indices, true);
    const loss = tf.tidy(() => mlmLoss(model, batch, false));
    sum += loss.dataSync()[0]! * n;
    count += n;
    loss.dispose();
    disposeBatch(batch);
  });
  return count > 0 ? sum / count : NaN;
}

export function mlmTask(train: Rows, validation: Rows | undefined, masking: MaskingOptions, evalSeed: number, evalBatchSize: number): TrainTask {
  return {
    rows: train,
    prepare: (host, seed) => maskTokens(host, masking, seed),
    loss: (model, batch, seed) => mlmLoss(model, batch, true, seed),
    evaluate: validation
      ? async (model) => {
          const loss = heldOutMlmLoss(model, validation, masking, evalSeed, evalBatchSize);
          return { eval_loss: loss, eval_perplexity: Math.exp(loss) };
        }
      : undefined,
  };
}
