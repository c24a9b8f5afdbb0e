/**
 * `evaluation/ner`: NER predictions → metrics (seqeval default + strict IOB2, per type, token
 * accuracy, tag confusion matrix, calibration). Predictions come from a `predictions` artifact or
 * are computed from a `model` + `encoded-dataset` (one prediction per word via the primary flags),
 * in which case they are also written as this stage's `predictions` output with the mean loss.
 * `entity_types` scores a subset of the types (others → `O` in gold and predictions, labels matched by
 * name): a model on a corpus with another label set, e.g. for the report's domain-shift table.
 */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defineStage } from '@tunekit/pipeline';
import { metricsEntryParams, type MetricsEntryParams } from './metrics-params.ts';
import { modelOrPredictionsInputs, modelParams } from './model-inputs.ts';

export interface NerStageParams extends MetricsEntryParams {
  split: string;
  batch_size: number;
  entity_types?: string[];
  dataset_name?: string;
  decoding: 'viterbi' | 'argmax';
}

export default defineStage<NerStageParams>({
  id: 'evaluation/ner',
  version: '3',
  fingerprint,
  description: 'Entity-level P/R/F1 (seqeval default and strict IOB2), per type, token accuracy, loss, tag confusion matrix and calibration, from predictions or from a model on an encoded dataset.',
  params: { type: 'object', additionalProperties: false, properties: {
      ...metricsEntryParams,
      ...modelParams,
      entity_types: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        minItems: 1,
        uniqueItems: true,
        description: 'Score only these entity types: every other type becomes O in gold and predictions (labels matched by name, never by id). Each must be a type the model predicts and the split has. Default: all types.',
      },
      decoding: { enum: ['viterbi', 'argmax'], default: 'viterbi', description: 'From a model: `viterbi` picks the most probable valid IOB2 tag sequence per sentence (no I-X after O or another type); `argmax` the top tag of each word independently.' },
      dataset_name: { type: 'string', description: 'Name of the scored dataset in the report (e.g. "BC5CDR devel"); the domain-shift table shows it for cross-domain entries.' },
    },
  },
  inputs: { ...modelOrPredictionsInputs },
  outputs: {
    metrics: { kind: 'metrics', description: 'metrics.json' },
    predictions: { kind: 'predictions', description: 'predictions.tsv (word, gold, pred, confidence) that were scored' },
  },
  async run(ctx) {
    const { copyFile, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { readPredictionsManifest, writePredictionsManifest, NER_PREDICTIONS_FILE, formatNerPredictions, readNerPredictions } = await import('../predictions/index.ts');
    const { evaluateNerPredictions } = await import('../evaluate/ner-evaluation.ts');
    const { entryIdentity, writeMetricsArtifact } = await import('./write-metrics-artifact.ts');
    const { chooseSource } = await import('./model-inputs.ts');

    const { checkGoldTypes, checkModelTypes, keepType } = await import('../evaluate/entity-types.ts');

    const source = chooseSource(ctx);
    const entityTypes = ctx.params.entity_types;
    const predictionsOut = ctx.outputs.predictions!.dir;
    let sentences;
    let split: string | undefined;
    let labels: string[] | undefined;
    let loss: number | undefined;
    if (source.kind === 'predictions') {
      const manifest = await readPredictionsManifest(source.dir);
      if (manifest.task !== 'token-classification') throw new Error(`${source.dir}: evaluation/ner needs token-classification predictions, found ${manifest.task}`);
      sentences = await readNerPredictions(join(source.dir, manifest.file));
      ({ split, labels } = manifest);
      if (entityTypes) {
        // Without the probabilities a dropped type's mass cannot go to O: no confidences, no calibration.
        const types = new Set(entityTypes);
        if (labels) checkModelTypes(entityTypes, labels, source.dir);
        sentences = sentences.map((s) => ({ tokens: s.tokens, gold: s.gold.map((t) => keepType(t, types)), pred: s.pred.map((t) => keepType(t, types)) }));
        checkGoldTypes(entityTypes, sentences.map((s) => s.gold), join(source.dir, manifest.file));
        labels = labels?.filter((l) => keepType(l, types) === l);
        await writeFile(join(predictionsOut, NER_PREDICTIONS_FILE), formatNerPredictions(sentences));
      } else {
        await copyFile(join(source.dir, manifest.file), join(predictionsOut, NER_PREDICTIONS_FILE));
      }
    } else {
      const { loadEncodedDataset } = await import('@tunekit/data-prep');
      const { loadInferenceModel } = await import('../predict/inference-model.ts');
      const { pickSplit, predictNerSplit } = await import('../predict/predict-encoded.ts');
      const encoded = await loadEncodedDataset(source.datasetDir);
      const model = await loadInferenceModel(source.modelDir);
      try {
        const onProgress = (done: number, total: number) => ctx.progress.update(done, total, { unit: 'rows' });
        const result = await predictNerSplit(model, pickSplit(encoded, ctx.params.split), onProgress, { entityTypes, decoding: ctx.params.decoding });
        sentences = result.sentences;
        loss = result.loss;
        split = ctx.params.split;
        labels = entityTypes ? model.labels.filter((l) => keepType(l, new Set(entityTypes)) === l) : model.labels;
      } finally {
        model.model.dispose();
      }
      await writeFile(join(predictionsOut, NER_PREDICTIONS_FILE), formatNerPredictions(sentences));
    }
    await writePredictionsManifest(predictionsOut, {
      task: 'token-classification',
      file: NER_PREDICTIONS_FILE,
      ...(split ? { split } : {}),
      ...(labels ? { labels } : {}),
      sentences: sentences.length,
      tokens: sentences.reduce((n, s) => n + s.tokens.length, 0),
    });
    const evaluation = evaluateNerPredictions(sentences, { bins: ctx.params.bins, labels });
    if (loss !== undefined) evaluation.metrics.loss = loss;
    await writeMetricsArtifact(ctx, ctx.outputs.metrics!.dir, {
      schemaVersion: 1,
      ...entryIdentity(ctx, ctx.params),
      task: 'token-classification',
      ...(split ? { split } : {}),
      ...(entityTypes ? { entity_types: entityTypes } : {}),
      ...(ctx.params.dataset_name ? { dataset: ctx.params.dataset_name } : {}),
      ...evaluation,
    });
    ctx.log.info(`F1 ${evaluation.metrics.f1?.toFixed(4)}${entityTypes ? ` on ${entityTypes.join(', ')} only` : ''} (strict ${evaluation.metrics.f1_strict?.toFixed(4) ?? 'n/a'}) on ${sentences.length} sentences`);
  },
});
