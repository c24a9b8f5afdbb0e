/**
 * `evaluation/baseline-dictionary`: gazetteer of the training split's mentions, longest match on the
 * evaluated split → predictions artifact + metrics artifact (kind baseline).
 */
import { defineStage } from '@tunekit/pipeline';

export interface DictionaryParams {
  train_split: string;
  eval_split: string;
  lowercase: boolean;
  min_precision: number;
  min_mentions: number;
  name: string;
  bins: number;
}

export default defineStage<DictionaryParams>({
  id: 'evaluation/baseline-dictionary',
  version: '1',
  description: 'Dictionary baseline: gazetteer of training mentions, greedy longest match, scored like evaluation/ner.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      train_split: { type: 'string', default: 'train', description: 'Split whose gold mentions build the gazetteer.' },
      eval_split: { type: 'string', default: 'test', description: 'Split to label and score.' },
      lowercase: { type: 'boolean', default: true, description: 'Match case-insensitively.' },
      min_precision: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Drop entries whose longest-match precision on the training split is below this.' },
      min_mentions: { type: 'integer', minimum: 1, default: 1, description: 'Drop entries seen fewer times as a gold mention.' },
      name: { type: 'string', default: 'dictionary', description: 'Name in the report.' },
      bins: { type: 'integer', minimum: 1, default: 15, description: 'Confidence bins for calibration.' },
    },
  },
  inputs: { dataset: { kind: 'dataset', description: 'word-level token-classification dataset (data-prep/conll)' } },
  outputs: {
    predictions: { kind: 'predictions', description: 'predictions.tsv of the evaluated split' },
    metrics: { kind: 'metrics', description: 'metrics.json (kind baseline)' },
  },
  async run(ctx) {
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { readDataset } = await import('@tunekit/data-prep');
    const { buildGazetteer } = await import('../baselines/dictionary/gazetteer.ts');
    const { tagSentence } = await import('../baselines/dictionary/longest-match.ts');
    const { formatNerPredictions, NER_PREDICTIONS_FILE, writePredictionsManifest } = await import('../predictions/index.ts');
    const { evaluateNerPredictions } = await import('../evaluate/ner-evaluation.ts');
    const { writeMetricsArtifact } = await import('./write-metrics-artifact.ts');
    const p = ctx.params;

    const { dataset } = await readDataset(ctx.inputs.dataset!.dir);
    if (dataset.task !== 'token-classification') throw new Error(`evaluation/baseline-dictionary needs a token-classification dataset, found ${dataset.task}`);
    const split = (name: string) => {
      const rows = dataset.splits[name];
      if (!rows) throw new Error(`dataset has no split "${name}" (splits: ${Object.keys(dataset.splits).join(', ')})`);
      return rows;
    };
    const gazetteer = buildGazetteer(split(p.train_split), { lowercase: p.lowercase, minPrecision: p.min_precision, minMentions: p.min_mentions });
    const sentences = split(p.eval_split).map((s) => {
      const { tags, confidence } = tagSentence(s.tokens, gazetteer);
      return { tokens: s.tokens, gold: s.tags, pred: tags, confidence };
    });

    const predictionsDir = ctx.outputs.predictions!.dir;
    await writeFile(join(predictionsDir, NER_PREDICTIONS_FILE), formatNerPredictions(sentences));
    await writePredictionsManifest(predictionsDir, {
      task: 'token-classification',
      file: NER_PREDICTIONS_FILE,
      split: p.eval_split,
      labels: dataset.labels,
      source: 'dictionary',
      sentences: sentences.length,
      tokens: sentences.reduce((n, s) => n + s.tokens.length, 0),
    });
    const evaluation = evaluateNerPredictions(sentences, { bins: p.bins, labels: dataset.labels });
    evaluation.metrics.gazetteer_entries = gazetteer.entries.size;
    await writeMetricsArtifact(ctx, ctx.outputs.metrics!.dir, {
      schemaVersion: 1,
      kind: 'baseline',
      name: p.name,
      task: 'token-classification',
      split: p.eval_split,
      ...evaluation,
    });
    ctx.log.info(`gazetteer: ${gazetteer.entries.size} entries; F1 ${evaluation.metrics.f1?.toFixed(4)} on ${p.eval_split}`);
  },
});
