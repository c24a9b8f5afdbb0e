/**
 * `evaluation/classification`: classification predictions → metrics (accuracy, micro/macro F1, per
 * class, confusion matrix, loss, calibration). Predictions come from a `predictions` artifact or
 * are computed from a `model` + `encoded-dataset`, and are then also written as this stage's
 * `predictions` output.
 */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defineStage } from '@tunekit/pipeline';
import { metricsEntryParams, type MetricsEntryParams } from './metrics-params.ts';
import { modelOrPredictionsInputs, modelParams } from './model-inputs.ts';

export interface ClassificationStageParams extends MetricsEntryParams {
  split: string;
  batch_size: number;
}

export default defineStage<ClassificationStageParams>({
  id: 'evaluation/classification',
  version: '2',
  fingerprint,
  description: 'Accuracy, micro/macro F1, per class, confusion matrix, loss and calibration, from predictions or from a model on an encoded dataset.',
  params: { type: 'object', additionalProperties: false, properties: { ...metricsEntryParams, ...modelParams } },
  inputs: { ...modelOrPredictionsInputs },
  outputs: {
    metrics: { kind: 'metrics', description: 'metrics.json' },
    predictions: { kind: 'predictions', description: 'predictions.jsonl that were scored' },
  },
  async run(ctx) {
    const { copyFile, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { CLASSIFICATION_PREDICTIONS_FILE, formatClassificationPredictions, readClassificationPredictions, readPredictionsManifest, writePredictionsManifest } = await import('../predictions/index.ts');
    const { evaluateClassificationPredictions } = await import('../evaluate/classification-evaluation.ts');
    const { entryIdentity, writeMetricsArtifact } = await import('./write-metrics-artifact.ts');
    const { chooseSource } = await import('./model-inputs.ts');

    const source = chooseSource(ctx);
    const predictionsOut = ctx.outputs.predictions!.dir;
    let rows;
    let split: string | undefined;
    let labels: string[] | undefined;
    let file = join(predictionsOut, CLASSIFICATION_PREDICTIONS_FILE);
    if (source.kind === 'predictions') {
      const manifest = await readPredictionsManifest(source.dir);
      if (manifest.task !== 'sequence-classification') throw new Error(`${source.dir}: evaluation/classification needs sequence-classification predictions, found ${manifest.task}`);
      file = join(source.dir, manifest.file);
      rows = await readClassificationPredictions(file);
      ({ split, labels } = manifest);
      await copyFile(file, join(predictionsOut, CLASSIFICATION_PREDICTIONS_FILE));
    } else {
      const { loadEncodedDataset } = await import('@tunekit/data-prep');
      const { loadInferenceModel } = await import('../predict/inference-model.ts');
      const { pickSplit, predictClassificationSplit } = await import('../predict/predict-encoded.ts');
      const encoded = await loadEncodedDataset(source.datasetDir);
      const model = await loadInferenceModel(source.modelDir);
      try {
        rows = (await predictClassificationSplit(model, pickSplit(encoded, ctx.params.split), (done, total) => ctx.progress.update(done, total, { unit: 'rows' }))).rows;
      } finally {
        model.model.dispose();
      }
      split = ctx.params.split;
      labels = model.labels;
      await writeFile(file, formatClassificationPredictions(rows));
    }
    await writePredictionsManifest(predictionsOut, {
      task: 'sequence-classification',
      file: CLASSIFICATION_PREDICTIONS_FILE,
      ...(split ? { split } : {}),
      ...(labels ? { labels } : {}),
      examples: rows.length,
    });
    const evaluation = evaluateClassificationPredictions(rows, { bins: ctx.params.bins, labels, file });
    await writeMetricsArtifact(ctx, ctx.outputs.metrics!.dir, {
      schemaVersion: 1,
      ...entryIdentity(ctx, ctx.params),
      task: 'sequence-classification',
      ...(split ? { split } : {}),
      ...evaluation,
    });
    ctx.log.info(`accuracy ${evaluation.metrics.accuracy?.toFixed(4)}, macro F1 ${evaluation.metrics.macro_f1?.toFixed(4)} on ${rows.length} examples`);
  },
});
