/** The fine-tuning task: cross-entropy of the classification head on one batch. */
import type * as tf from '@tensorflow/tfjs-core';
import type { EncodedDataset, EncodedSplit } from '@tunekit/data-prep';
import type { BertModel } from '@tunekit/model-loader';
import { evaluateClassifier, splitRows } from '../eval/evaluate-classifier.ts';
import { maskedCrossEntropy } from '../loop/loss.ts';
import type { TrainTask } from '../loop/train-loop.ts';
import type { Batch } from '../data/batch.ts';
import type { Decoding } from '../eval/metrics.ts';

/** Cross-entropy of the head on one training batch: the mean, or the sum ÷ `denominator` (a data-parallel shard). */
export function classificationLoss(model: BertModel, batch: Batch, seed: number, denominator?: number): tf.Scalar {
  const { logits } = model.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds }, { training: true, seed });
  if (!logits) throw new Error('training: the model has no classification head');
  return maskedCrossEntropy(logits, batch.labels!, denominator);
}

export function classificationTask(dataset: EncodedDataset, train: EncodedSplit, validation: EncodedSplit | undefined, evalBatchSize: number, decoding: Decoding = 'viterbi'): TrainTask {
  return {
    rows: splitRows(train, dataset.task),
    loss: (model, batch, seed) => classificationLoss(model, batch, seed),
    evaluate: validation ? (model) => evaluateClassifier(model, validation, dataset.task, dataset.labels, evalBatchSize, decoding) : undefined,
  };
}
