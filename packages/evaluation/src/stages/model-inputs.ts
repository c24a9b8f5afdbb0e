/**
 * Shared input handling for stages that take either a `predictions` artifact or a `model` plus an
 * `encoded-dataset` (predictions are then computed here, on `split`).
 */
import type { StageContext } from '@tunekit/pipeline';

export const modelOrPredictionsInputs = {
  predictions: { kind: 'predictions', optional: true, description: 'predictions to score (instead of model + dataset)' },
  model: { kind: 'model', optional: true, description: 'classification model to run (with dataset)' },
  dataset: { kind: 'encoded-dataset', optional: true, description: 'encoded dataset from data-prep/tokenize (with model)' },
} as const;

export const modelParams = {
  split: { type: 'string', default: 'test', description: 'Split of the encoded dataset to predict and score (model input).' },
  batch_size: { type: 'integer', minimum: 1, default: 32, description: 'Rows per forward pass (model input).' },
} as const;

export type Source = { kind: 'predictions'; dir: string } | { kind: 'model'; modelDir: string; datasetDir: string };

export function chooseSource(ctx: Pick<StageContext, 'inputs' | 'stageId'>): Source {
  const { predictions, model, dataset } = ctx.inputs;
  if (predictions && (model || dataset)) throw new Error(`${ctx.stageId}: give either a predictions input or model + dataset, not both`);
  if (predictions) return { kind: 'predictions', dir: predictions.dir };
  if (model && dataset) return { kind: 'model', modelDir: model.dir, datasetDir: dataset.dir };
  throw new Error(`${ctx.stageId}: needs a predictions input, or both a model and an encoded dataset input`);
}
