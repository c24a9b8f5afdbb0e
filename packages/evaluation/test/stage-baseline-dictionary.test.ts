import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildGazetteer } from '../src/baselines/dictionary/gazetteer.ts';
import { longestMatch, tagSentence } from '../src/baselines/dictionary/longest-match.ts';
import stage from '../src/stages/baseline-dictionary.ts';
import { readConll, tokenDatasetArtifact } from './helpers/artifacts.ts';
import { stageContext } from './helpers/stage-context.ts';

const s = (text: string, tags: string) => ({ tokens: text.split(' '), tags: tags.split(' ') });
const TRAIN = [
  s('breast cancer and ovarian cancer', 'B-D I-D O B-D I-D'),
  s('cancer risk', 'B-D O'),
  s('the cancer genes', 'O O O'),
  s('Huntington disease', 'B-D I-D'),
];
const options = { lowercase: true, minPrecision: 0, minMentions: 1 };

describe('gazetteer and longest match', () => {
  test('every training mention is an entry; the longest entry wins', () => {
    const g = buildGazetteer(TRAIN, options);
    expect([...g.entries.keys()].map((k) => k.split('\u0001').join(' ')).sort()).toEqual(['breast cancer', 'cancer', 'huntington disease', 'ovarian cancer']);
    expect(longestMatch('a breast cancer case'.split(' '), g).map((m) => [m.start, m.end])).toEqual([[1, 2]]);
  });

  test('entry precision on training: "cancer" matched 2 times alone, gold once → 0.5', () => {
    // "cancer" stands alone in "cancer risk" (gold) and "the cancer genes" (not gold); inside
    // "breast cancer" / "ovarian cancer" the longer entries win.
    const g = buildGazetteer(TRAIN, options);
    expect(g.entries.get('cancer')!.precision).toBe(0.5);
    expect(buildGazetteer(TRAIN, { ...options, minPrecision: 0.6 }).entries.has('cancer')).toBe(false);
  });

  test('tags are IOB2; case-insensitive by default; confidence = entry precision', () => {
    const g = buildGazetteer(TRAIN, options);
    expect(tagSentence('HUNTINGTON Disease and cancer'.split(' '), g)).toEqual({ tags: ['B-D', 'I-D', 'O', 'B-D'], confidence: [1, 1, 1, 0.5] });
  });
});

describe('evaluation/baseline-dictionary stage', () => {
  test('scores the evaluated split: exact numbers on a constructed dataset', async () => {
    const dataset = await tokenDatasetArtifact({ train: TRAIN, test: [s('ovarian cancer in Huntington disease', 'B-D I-D O B-D I-D'), s('cancer', 'O')] });
    const params = { train_split: 'train', eval_split: 'test', lowercase: true, min_precision: 0, min_mentions: 1, name: 'dictionary', bins: 15 };
    const ctx = await stageContext({ stageId: 'dictionary', params, inputs: { dataset: { dir: dataset, digest: 'x' } }, outputs: ['predictions', 'metrics'] });
    await stage.run(ctx);
    const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
    // predicted: ovarian cancer ✓, Huntington disease ✓, cancer ✗ → P 2/3, R 1, F1 0.8
    expect(metrics.metrics.precision).toBeCloseTo(2 / 3, 12);
    expect(metrics.metrics.recall).toBe(1);
    expect(metrics.metrics.f1).toBeCloseTo(0.8, 12);
    expect([metrics.kind, metrics.name]).toEqual(['baseline', 'dictionary']);
    const predictions = await readFile(join(ctx.outputs.predictions!.dir, 'predictions.tsv'), 'utf8');
    expect(predictions.split('\n').slice(0, 2)).toEqual(['ovarian\tB-D\tB-D\t1.000000', 'cancer\tI-D\tI-D\t1.000000']);
  });

  test('a missing split is an error listing the splits', async () => {
    const dataset = await tokenDatasetArtifact({ train: TRAIN });
    const params = { train_split: 'train', eval_split: 'test', lowercase: true, min_precision: 0.5, min_mentions: 1, name: 'dictionary', bins: 15 };
    const ctx = await stageContext({ stageId: 'dictionary', params, inputs: { dataset: { dir: dataset, digest: 'x' } }, outputs: ['predictions', 'metrics'] });
    await expect(stage.run(ctx)).rejects.toThrow('dataset has no split "test" (splits: train)');
  });

  test('NCBI-disease: gazetteer from train, scored on devel (all 923 sentences predicted)', async () => {
    const dataset = await tokenDatasetArtifact({ train: readConll('datasets/ncbi-disease/train.tsv'), test: readConll('datasets/ncbi-disease/devel.tsv') });
    const params = { train_split: 'train', eval_split: 'test', lowercase: true, min_precision: 0.5, min_mentions: 1, name: 'dictionary', bins: 15 };
    const ctx = await stageContext({ stageId: 'dictionary', params, inputs: { dataset: { dir: dataset, digest: 'x' } }, outputs: ['predictions', 'metrics'] });
    await stage.run(ctx);
    const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
    console.log(`dictionary baseline on NCBI-disease devel: ${JSON.stringify(metrics.metrics)}`);
    expect([metrics.metrics.sentences, metrics.metrics.tokens]).toEqual([923, 23969]);
    expect(metrics.per_type.Disease.support).toBe(787);
  });
});
