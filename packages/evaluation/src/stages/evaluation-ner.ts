/** `evaluation/ner`: NER predictions artifact → metrics artifact (seqeval default + strict, calibration). */
import { defineStage } from '@tunekit/pipeline';
import { metricsEntryParams, type MetricsEntryParams } from './metrics-params.ts';

export default defineStage<MetricsEntryParams>({
  id: 'evaluation/ner',
  version: '1',
  description: 'Entity-level P/R/F1 (seqeval default and strict IOB2), per type, token accuracy, tag confusion matrix and calibration of a NER predictions artifact.',
  params: { type: 'object', additionalProperties: false, properties: { ...metricsEntryParams } },
  inputs: { predictions: { kind: 'predictions', description: 'predictions.tsv: word, gold, pred, confidence' } },
  outputs: { metrics: { kind: 'metrics', description: 'metrics.json' } },
  async run(ctx) {
    const { join } = await import('node:path');
    const { readPredictionsManifest } = await import('../predictions/manifest.ts');
    const { readNerPredictions } = await import('../predictions/ner-predictions.ts');
    const { evaluateNerPredictions } = await import('../evaluate/ner-evaluation.ts');
    const { entryIdentity, writeMetricsArtifact } = await import('./write-metrics-artifact.ts');
    const input = ctx.inputs.predictions!.dir;
    const manifest = await readPredictionsManifest(input);
    if (manifest.task !== 'token-classification') throw new Error(`${input}: evaluation/ner needs token-classification predictions, found ${manifest.task}`);
    const sentences = await readNerPredictions(join(input, manifest.file));
    const evaluation = evaluateNerPredictions(sentences, { bins: ctx.params.bins, labels: manifest.labels });
    await writeMetricsArtifact(ctx, ctx.outputs.metrics!.dir, {
      schemaVersion: 1,
      ...entryIdentity(ctx, ctx.params),
      task: 'token-classification',
      ...(manifest.split ? { split: manifest.split } : {}),
      ...evaluation,
    });
    ctx.log.info(`F1 ${evaluation.metrics.f1?.toFixed(4)} (strict ${evaluation.metrics.f1_strict?.toFixed(4) ?? 'n/a'}) on ${sentences.length} sentences`);
  },
});
