/**
 * Domain shift: `evaluation/ner` with `entity_types` (a model scored on a corpus whose label set
 * differs) and the report's domain-shift table. Real stages on tiny data: the tiny Hugging Face
 * fixture (labels O / B-Disease / I-Disease / B-Chemical / I-Chemical) and variants of it whose
 * classifier keeps some labels or always predicts one, on the cpu backend.
 */
import { describe, expect, test } from '@jest/globals';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManifest } from '@tunekit/pipeline';
import { readSafetensors, writeSafetensors } from '@tunekit/model-loader';
import { writeMetricsFile, type MetricsFile } from '../src/metrics-file/index.ts';
import { parseNerPredictions } from '../src/predictions/ner-predictions.ts';
import nerStage from '../src/stages/evaluation-ner.ts';
import reportStage from '../src/stages/evaluation-report.ts';
import { encodedDatasetArtifact, nerPredictionsArtifact, TINY_BERT } from './helpers/artifacts.ts';
import { stageContext, tempDir } from './helpers/stage-context.ts';

process.env.TUNEKIT_BACKEND = 'cpu';

const TINY_LABELS = ['O', 'B-Disease', 'I-Disease', 'B-Chemical', 'I-Chemical'];
/** data-prep's label order for a Chemical + Disease corpus (types sorted): ids differ from the model's. */
const CORPUS_LABELS = ['O', 'B-Chemical', 'I-Chemical', 'B-Disease', 'I-Disease'];

// Two BC5CDR-like sentences: 2 Chemical and 3 Disease mentions.
const SENTENCES = [
  { tokens: ['aspirin', 'induced', 'renal', 'failure', 'and', 'fever', '.'], tags: ['B-Chemical', 'O', 'B-Disease', 'I-Disease', 'O', 'B-Disease', 'O'] },
  { tokens: ['cocaine', 'causes', 'seizures', '.'], tags: ['B-Chemical', 'O', 'B-Disease', 'O'] },
];

/**
 * A copy of the tiny fixture whose classifier keeps the rows of `labels` (by name, in that order) and,
 * when `always` is given, a bias that makes it predict that label for every word.
 */
async function tinyModel(labels: string[], always?: string): Promise<string> {
  const dir = await tempDir('tunekit-tiny-variant-');
  await copyFile(join(TINY_BERT, 'vocab.txt'), join(dir, 'vocab.txt'));
  const config = JSON.parse(await readFile(join(TINY_BERT, 'config.json'), 'utf8'));
  config.id2label = Object.fromEntries(labels.map((l, i) => [String(i), l]));
  config.label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const { tensors } = await readSafetensors(join(TINY_BERT, 'model.safetensors'));
  const rows = labels.map((l) => TINY_LABELS.indexOf(l));
  const out = tensors.map((t) => {
    if (t.name !== 'classifier.weight' && t.name !== 'classifier.bias') return { name: t.name, dtype: t.dtype, shape: t.shape, data: t.bytes };
    const values = new Float32Array(t.bytes.slice().buffer);
    const width = t.shape.length === 2 ? t.shape[1]! : 1;
    const kept = new Float32Array(rows.length * width);
    rows.forEach((row, i) => kept.set(values.subarray(row * width, (row + 1) * width), i * width));
    if (t.name === 'classifier.bias' && always) kept[labels.indexOf(always)] = 100;
    return { name: t.name, dtype: t.dtype, shape: t.shape.length === 2 ? [rows.length, width] : [rows.length], data: kept };
  });
  await writeSafetensors(join(dir, 'model.safetensors'), out);
  return dir;
}

async function runNer(inputs: Record<string, unknown>, extra: Record<string, unknown> = {}, stageId = 'cross_evaluate[strategy=full]') {
  const params = { kind: 'cross-domain' as const, bins: 15, split: 'test', batch_size: 8, decoding: 'viterbi' as const, ...extra };
  const ctx = await stageContext({ stageId, params, inputs, outputs: ['metrics', 'predictions'] });
  await nerStage.run(ctx);
  const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8')) as MetricsFile;
  const file = join(ctx.outputs.predictions!.dir, 'predictions.tsv');
  return { metrics, predictions: parseNerPredictions(await readFile(file, 'utf8'), file) };
}

const artifact = (dir: string) => ({ dir, digest: 'x' });

describe('evaluation/ner entity_types', () => {
  test('keeps only the listed types in gold AND predictions (others → O); F1 equals that type\'s per-type F1 of the unrestricted scoring', async () => {
    // Predicted: the Chemical "aspirin" right, "renal failure" as Chemical (wrong type), "fever" right, "cocaine" missed, "seizures" right.
    const pred = [
      ['B-Chemical', 'O', 'B-Chemical', 'I-Chemical', 'O', 'B-Disease', 'O'],
      ['O', 'O', 'B-Disease', 'O'],
    ];
    const predictions = await nerPredictionsArtifact(SENTENCES.map((s, i) => ({ tokens: s.tokens, gold: s.tags, pred: pred[i]!, confidence: s.tokens.map(() => 0.9) })));
    const all = await runNer({ predictions: artifact(predictions) }, {}, 'evaluate');
    const disease = await runNer({ predictions: artifact(predictions) }, { entity_types: ['Disease'], dataset_name: 'tiny' });

    expect(disease.predictions.flatMap((s) => [...s.gold, ...s.pred]).filter((t) => t.includes('Chemical'))).toEqual([]);
    expect(disease.predictions[0]!.pred).toEqual(['O', 'O', 'O', 'O', 'O', 'B-Disease', 'O']);
    expect(disease.predictions[0]!.gold).toEqual(['O', 'O', 'B-Disease', 'I-Disease', 'O', 'B-Disease', 'O']);
    // Disease: 3 gold, 2 predicted, 2 correct → P 1, R 2/3, F1 0.8
    expect(disease.metrics.metrics.precision).toBe(1);
    expect(disease.metrics.metrics.recall).toBeCloseTo(2 / 3, 12);
    expect(disease.metrics.metrics.f1).toBeCloseTo(0.8, 12);
    expect(Object.keys(disease.metrics.per_type!)).toEqual(['Disease']);
    expect(disease.metrics.metrics.f1).toBeCloseTo(all.metrics.per_type!.Disease!.f1, 12);
    expect(all.metrics.metrics.f1).not.toBeCloseTo(0.8, 3); // the unrestricted micro F1 is another number
    expect(disease.metrics).toMatchObject({ kind: 'cross-domain', name: 'full', entity_types: ['Disease'], dataset: 'tiny' });
    // without the probabilities a dropped type's mass cannot go to O: no confidences are kept
    expect(disease.metrics.calibration).toBeUndefined();
  });

  test('a model is read by label NAME: its id2label order differs from the tokenized corpus\'s label ids', async () => {
    // Always predicts its label 1 = B-Disease; in the corpus's encoding id 1 is B-Chemical.
    const model = await tinyModel(TINY_LABELS, 'B-Disease');
    const dataset = await encodedDatasetArtifact(model, { test: SENTENCES }, CORPUS_LABELS);
    expect(JSON.parse(await readFile(join(dataset, 'manifest.json'), 'utf8')).labels).toEqual(CORPUS_LABELS);

    const { metrics, predictions } = await runNer({ model: artifact(model), dataset: artifact(dataset) }, { entity_types: ['Disease'] });
    expect(predictions.flatMap((s) => s.pred)).toEqual(Array(11).fill('B-Disease'));
    // 11 one-word Disease predictions; gold Disease: "renal failure" (2 words, never matched), "fever", "seizures"
    expect(metrics.metrics.precision).toBeCloseTo(2 / 11, 12);
    expect(metrics.metrics.recall).toBeCloseTo(2 / 3, 12);
    expect(metrics.metrics.f1).toBeCloseTo((2 * (2 / 11) * (2 / 3)) / (2 / 11 + 2 / 3), 12);
    // confidence: the probability of B-Disease (the bias of 100 makes it 1 to float precision)
    expect(predictions[0]!.confidence![0]).toBeCloseTo(1, 6);
  });

  test('a Disease-only model on a Chemical + Disease corpus: Chemical gold becomes O, and the collapsed probabilities give the loss', async () => {
    const model = await tinyModel(['O', 'B-Disease', 'I-Disease']);
    const dataset = await encodedDatasetArtifact(model, { test: SENTENCES }, CORPUS_LABELS);
    await expect(runNer({ model: artifact(model), dataset: artifact(dataset) }, { kind: 'fine-tune' })).rejects.toThrow(
      'gold label "B-Chemical" is not one of the model\'s labels [O, B-Disease, I-Disease] (to score only the entity types the model knows, set entity_types)',
    );
    const { metrics, predictions } = await runNer({ model: artifact(model), dataset: artifact(dataset) }, { entity_types: ['Disease'] });
    expect(predictions.map((s) => s.gold)).toEqual([
      ['O', 'O', 'B-Disease', 'I-Disease', 'O', 'B-Disease', 'O'],
      ['O', 'O', 'B-Disease', 'O'],
    ]);
    expect(metrics.metrics.tokens).toBe(11);
    expect(metrics.metrics.loss).toBeGreaterThan(0);
    expect(metrics.calibration!.token!.count).toBe(11);
  });

  test('a dropped type\'s probability goes to O: confidence of a Chemical prediction mapped to O is p(O) + p(Chemical labels)', async () => {
    const model = await tinyModel(TINY_LABELS, 'B-Chemical');
    const dataset = await encodedDatasetArtifact(model, { test: SENTENCES }, CORPUS_LABELS);
    const { predictions, metrics } = await runNer({ model: artifact(model), dataset: artifact(dataset) }, { entity_types: ['Disease'] });
    expect(predictions.flatMap((s) => s.pred)).toEqual(Array(11).fill('O'));
    // p(B-Chemical) ≈ 1 is O's mass now: every word is O with confidence ≈ 1
    for (const c of predictions.flatMap((s) => s.confidence!)) expect(c).toBeCloseTo(1, 6);
    expect(metrics.metrics.f1).toBe(0);
    expect(metrics.metrics.recall).toBe(0);
  });

  test('a model that predicts none of the entity types is a clear error (before any forward pass)', async () => {
    const diseaseOnly = await tinyModel(['O', 'B-Disease', 'I-Disease']);
    const dataset = await encodedDatasetArtifact(diseaseOnly, { test: SENTENCES }, CORPUS_LABELS);
    await expect(runNer({ model: artifact(diseaseOnly), dataset: artifact(dataset) }, { entity_types: ['Chemical'] })).rejects.toThrow(
      'the model predicts none of the entity types [Chemical] (its labels, from config.json id2label: O, B-Disease, I-Disease); entity_types must name types the model was trained on',
    );
    await expect(runNer({ model: artifact(TINY_BERT), dataset: artifact(dataset) }, { entity_types: ['Disease', 'Gene'] })).rejects.toThrow('the model predicts no Gene of the entity types [Disease, Gene]');
  });

  test('a split without a gold mention of a requested type is an error, not F1 0', async () => {
    const chemicalOnly = SENTENCES.map((s) => ({ tokens: s.tokens, tags: s.tags.map((t) => (t.endsWith('Disease') ? 'O' : t)) }));
    const dataset = await encodedDatasetArtifact(TINY_BERT, { test: chemicalOnly }, ['O', 'B-Chemical', 'I-Chemical']);
    await expect(runNer({ model: artifact(TINY_BERT), dataset: artifact(dataset) }, { entity_types: ['Disease'] })).rejects.toThrow('split "test": no gold Disease mention to score');
  });
});

async function metricsArtifact(entry: MetricsFile) {
  const dir = await tempDir();
  await writeMetricsFile(dir, entry);
  await writeManifest(dir, { kind: 'metrics', schemaVersion: 1 });
  return { dir, digest: 'x' };
}

const typeScore = (f1: number, support: number) => ({ precision: f1, recall: f1, f1, support });

async function renderReport(inputs: Record<string, unknown>): Promise<string> {
  const ctx = await stageContext({ stageId: 'report', params: { title: 't' }, inputs, outputs: ['report'] });
  await reportStage.run(ctx);
  return readFile(join(ctx.outputs.report!.dir, 'report.html'), 'utf8');
}

/** The domain-shift table's body rows as cell texts. */
function domainShiftRows(html: string): string[][] {
  const section = /<section id="domain-shift">([\s\S]*?)<\/section>/.exec(html)?.[1];
  if (!section) throw new Error('no domain-shift section');
  return [...section.matchAll(/<tr(?: class="best")?>(<td[\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!));
}

describe('evaluation/report domain shift', () => {
  test('a BC5CDR-trained model: in-domain Disease F1 (per type) next to its NCBI F1; cross-domain entries stay out of the other tables', async () => {
    const evaluate = (name: string, chem: number, dis: number, micro: number): MetricsFile => ({
      schemaVersion: 1, kind: 'fine-tune', name, strategy: name, task: 'token-classification', split: 'test',
      metrics: { f1: micro, precision: micro, recall: micro }, per_type: { Chemical: typeScore(chem, 5347), Disease: typeScore(dis, 4246) },
    });
    const cross = (name: string, f1: number): MetricsFile => ({
      schemaVersion: 1, kind: 'cross-domain', name, strategy: name, task: 'token-classification', split: 'test', entity_types: ['Disease'], dataset: 'NCBI-disease devel',
      metrics: { f1, precision: 0.5, recall: 0.25 }, per_type: { Disease: typeScore(f1, 960) },
    });
    const html = await renderReport({
      metrics: [await metricsArtifact(evaluate('full', 0.8, 0.7, 0.75)), await metricsArtifact(evaluate('lora', 0.6, 0.5, 0.55))],
      cross_domain: [await metricsArtifact(cross('full', 0.333)), await metricsArtifact(cross('lora', 0.2))],
    });
    expect(domainShiftRows(html)).toEqual([
      ['full', 'Disease', '0.700', '0.333', '-0.367', '0.500', '0.250', 'NCBI-disease devel, test'],
      ['lora', 'Disease', '0.500', '0.200', '-0.300', '0.500', '0.250', 'NCBI-disease devel, test'],
    ]);
    // the metrics table has one row per in-domain model, with per-type F1 columns for the two types
    const metricsSection = /<section id="metrics">([\s\S]*?)<\/section>/.exec(html)![1]!;
    expect(metricsSection).toContain('F1 Chemical');
    expect(metricsSection).toContain('F1 Disease');
    expect([...metricsSection.matchAll(/<tr(?: class="best")?><td>/g)]).toHaveLength(2);
  });

  test('a Disease-only (NCBI) model: the in-domain F1 is its micro F1; an entry without an in-domain match shows —', async () => {
    const ncbi: MetricsFile = { schemaVersion: 1, kind: 'fine-tune', name: 'full', task: 'token-classification', split: 'test', metrics: { f1: 0.431 }, per_type: { Disease: typeScore(0.431, 960) } };
    const html = await renderReport({
      metrics: [await metricsArtifact(ncbi)],
      cross_domain: [
        await metricsArtifact({ schemaVersion: 1, kind: 'cross-domain', name: 'full', task: 'token-classification', entity_types: ['Disease'], dataset: 'BC5CDR devel', metrics: { f1: 0.25, precision: 0.3, recall: 0.2 } }),
        await metricsArtifact({ schemaVersion: 1, kind: 'cross-domain', name: 'adapter', task: 'token-classification', entity_types: ['Disease'], dataset: 'BC5CDR devel', metrics: { f1: 0.1, precision: 0.1, recall: 0.1 } }),
      ],
    });
    expect(domainShiftRows(html)).toEqual([
      ['full', 'Disease', '0.431', '0.250', '-0.181', '0.300', '0.200', 'BC5CDR devel'],
      ['adapter', 'Disease', '—', '0.100', '—', '0.100', '0.100', 'BC5CDR devel'],
    ]);
    // one type only: no per-type columns in the metrics table
    expect(html).not.toContain('F1 Disease');
  });

  test('no cross-domain entry, no domain-shift section', async () => {
    const html = await renderReport({ metrics: [await metricsArtifact({ schemaVersion: 1, kind: 'fine-tune', name: 'full', task: 'token-classification', metrics: { f1: 0.5 } })] });
    expect(html).not.toContain('id="domain-shift"');
  });
});
