/** The fine-tuning task: cross-entropy of the classification head on one batch. */
import type * as tf from '@tensorflow/tfjs-core';
import type { EncodedDataset, EncodedSplit } from '@tunekit/data-prep';
import type { BertModel } from '@tunekit/model-loader';
import { evaluateClassifier, splitRows } from '../eval/evaluate-classifier.ts';
import { maskedCrossEntropy } from '../loop/loss.ts';
import type { TrainTask } from '../loop/train-loop.ts';

export function classificationTask(dataset: EncodedDataset, train: EncodedSplit, validation: EncodedSplit | undefined, evalBatchSize: number): TrainTask {
  return {
    rows: splitRows(train, dataset.task),
    loss(model: BertModel, batch, seed): tf.Scalar {
      const { logits } = model.forward(
        { inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds },
        { training: true, seed },
      );
      if (!logits) throw new Error('training: the model has no classification head');
      return maskedCrossEntropy(logits, batch.labels!);
    },
    evaluate: validation ? (model) => evaluateClassifier(model, validation, dataset.task, dataset.labels, evalBatchSize) : undefined,
  };
}
