/**
 * `evaluation/baseline-zero-shot`: NER or sentence classification with the pre-trained encoder and
 * no task training, by nearest label prototype (baselines/zero-shot/: prototypes.ts for the method
 * and why, label-words.ts for NER, classify-sentences.ts for classification).
 */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defineStage } from '@tunekit/pipeline';

export interface ZeroShotParams {
  split: string;
  descriptions: Record<string, string>;
  sharpness: number;
  batch_size: number;
  name: string;
  bins: number;
}

export default defineStage<ZeroShotParams>({
  id: 'evaluation/baseline-zero-shot',
  version: '2',
  fingerprint,
  description: 'Zero-shot baseline in the pre-trained encoder space: each word (NER: type descriptions vs the mean word of the text) or sentence (classification: one description per class, mean-pooled) takes the nearest prototype.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      split: { type: 'string', default: 'test', description: 'Split of the encoded dataset to label and score.' },
      descriptions: {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: { Disease: 'disease disorder syndrome cancer tumor deficiency' },
        description: 'Entity type (NER) or class label (classification; required for every label, the default is for NCBI-disease NER) → description text whose mean-pooled encoding is the prototype.',
      },
      sharpness: { type: 'number', exclusiveMinimum: 0, default: 10, description: 'Cosine similarities × sharpness → softmax confidence.' },
      batch_size: { type: 'integer', minimum: 1, default: 16, description: 'Rows per forward pass.' },
      name: { type: 'string', default: 'zero-shot', description: 'Name in the report.' },
      bins: { type: 'integer', minimum: 1, default: 15, description: 'Confidence bins.' },
    },
  },
  inputs: {
    model: { kind: 'model', description: 'pre-trained encoder (any head; only the encoder is used)' },
    dataset: { kind: 'encoded-dataset', description: 'encoded dataset: token classification (words, windows, gold tags) or sequence classification (sentences, gold labels)' },
  },
  outputs: {
    predictions: { kind: 'predictions', description: 'predictions.tsv (NER) or predictions.jsonl (classification)' },
    metrics: { kind: 'metrics', description: 'metrics.json (kind baseline)' },
  },
  async run(ctx) {
    const p = ctx.params;
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { loadEncodedDataset } = await import('@tunekit/data-prep');
    const { loadZeroShotEncoder } = await import('../baselines/zero-shot/encoder.ts');
    const { labelWordsZeroShot } = await import('../baselines/zero-shot/label-words.ts');
    const { checkClassDescriptions, classifySentencesZeroShot } = await import('../baselines/zero-shot/classify-sentences.ts');
    const { pickSplit } = await import('../predict/predict-encoded.ts');
    const predictions = await import('../predictions/index.ts');
    const { evaluateNerPredictions } = await import('../evaluate/ner-evaluation.ts');
    const { evaluateClassificationPredictions } = await import('../evaluate/classification-evaluation.ts');
    const { writeMetricsArtifact } = await import('./write-metrics-artifact.ts');

    const encoded = await loadEncodedDataset(ctx.inputs.dataset!.dir);
    if (encoded.task === 'sequence-classification') checkClassDescriptions(encoded.labels, p.descriptions);
    else if (encoded.task !== 'token-classification') throw new Error(`evaluation/baseline-zero-shot needs a token- or sequence-classification dataset, found ${encoded.task}`);
    const split = pickSplit(encoded, p.split);
    const options = { descriptions: p.descriptions, sharpness: p.sharpness, batchSize: p.batch_size, onProgress: (done: number, total: number) => ctx.progress.update(done, total, { unit: 'rows' }) };
    const predictionsDir = ctx.outputs.predictions!.dir;
    const entry = { schemaVersion: 1 as const, kind: 'baseline' as const, name: p.name, split: p.split };
    const encoder = await loadZeroShotEncoder(ctx.inputs.model!.dir);
    try {
      if (encoded.task === 'sequence-classification') {
        const rows = await classifySentencesZeroShot(encoder, split, encoded.labels, options);
        await writeFile(join(predictionsDir, predictions.CLASSIFICATION_PREDICTIONS_FILE), predictions.formatClassificationPredictions(rows));
        await predictions.writePredictionsManifest(predictionsDir, { task: 'sequence-classification', file: predictions.CLASSIFICATION_PREDICTIONS_FILE, split: p.split, labels: encoded.labels, source: 'zero-shot', examples: rows.length });
        const evaluation = evaluateClassificationPredictions(rows, { bins: p.bins, labels: encoded.labels });
        await writeMetricsArtifact(ctx, ctx.outputs.metrics!.dir, { ...entry, task: 'sequence-classification', ...evaluation });
        ctx.log.info(`zero-shot accuracy ${evaluation.metrics.accuracy?.toFixed(4)}, macro F1 ${evaluation.metrics.macro_f1?.toFixed(4)} on ${p.split}`);
      } else {
        const sentences = await labelWordsZeroShot(encoder, split, options);
        await writeFile(join(predictionsDir, predictions.NER_PREDICTIONS_FILE), predictions.formatNerPredictions(sentences));
        await predictions.writePredictionsManifest(predictionsDir, { task: 'token-classification', file: predictions.NER_PREDICTIONS_FILE, split: p.split, labels: encoded.labels, source: 'zero-shot', sentences: sentences.length });
        const evaluation = evaluateNerPredictions(sentences, { bins: p.bins, labels: encoded.labels });
        await writeMetricsArtifact(ctx, ctx.outputs.metrics!.dir, { ...entry, task: 'token-classification', ...evaluation });
        ctx.log.info(`zero-shot F1 ${evaluation.metrics.f1?.toFixed(4)} on ${p.split}`);
      }
    } finally {
      encoder.dispose();
    }
  },
});
