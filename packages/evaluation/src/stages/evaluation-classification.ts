/** `evaluation/classification`: classification predictions artifact → metrics artifact. */
import { defineStage } from '@tunekit/pipeline';
import { metricsEntryParams, type MetricsEntryParams } from './metrics-params.ts';

export default defineStage<MetricsEntryParams>({
  id: 'evaluation/classification',
  version: '1',
  description: 'Accuracy, micro/macro F1, per class, confusion matrix, loss and calibration of a classification predictions artifact.',
  params: { type: 'object', additionalProperties: false, properties: { ...metricsEntryParams } },
  inputs: { predictions: { kind: 'predictions', description: 'predictions.jsonl: gold, pred, confidence[, probabilities]' } },
  outputs: { metrics: { kind: 'metrics', description: 'metrics.json' } },
  async run(ctx) {
    const { join } = await import('node:path');
    const { readPredictionsManifest } = await import('../predictions/manifest.ts');
    const { readClassificationPredictions } = await import('../predictions/classification-predictions.ts');
    const { evaluateClassificationPredictions } = await import('../evaluate/classification-evaluation.ts');
    const { entryIdentity, writeMetricsArtifact } = await import('./write-metrics-artifact.ts');
    const input = ctx.inputs.predictions!.dir;
    const manifest = await readPredictionsManifest(input);
    if (manifest.task !== 'sequence-classification') throw new Error(`${input}: evaluation/classification needs sequence-classification predictions, found ${manifest.task}`);
    const file = join(input, manifest.file);
    const rows = await readClassificationPredictions(file);
    const evaluation = evaluateClassificationPredictions(rows, { bins: ctx.params.bins, labels: manifest.labels, file });
    await writeMetricsArtifact(ctx, ctx.outputs.metrics!.dir, {
      schemaVersion: 1,
      ...entryIdentity(ctx, ctx.params),
      task: 'sequence-classification',
      ...(manifest.split ? { split: manifest.split } : {}),
      ...evaluation,
    });
    ctx.log.info(`accuracy ${evaluation.metrics.accuracy?.toFixed(4)}, macro F1 ${evaluation.metrics.macro_f1?.toFixed(4)} on ${rows.length} examples`);
  },
});
