import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { meanPooledRows } from '../src/baselines/zero-shot/encoder.ts';
import { nearestPrototype, normalise, runsToIob2 } from '../src/baselines/zero-shot/prototypes.ts';
import stage from '../src/stages/baseline-zero-shot.ts';
import { encodedDatasetArtifact, encodedTextDatasetArtifact, readConll, TINY_BERT } from './helpers/artifacts.ts';
import { stageContext } from './helpers/stage-context.ts';

process.env.TUNEKIT_BACKEND = 'cpu';

describe('nearest label prototype', () => {
  test('a word takes the nearest prototype by cosine; confidence is the softmax of sharpness × cosine', () => {
    const protos = [normalise(Float32Array.from([1, 0])), normalise(Float32Array.from([0, 1]))];
    const pick = nearestPrototype(Float32Array.from([0.1, 2]), protos, 10);
    expect(pick.index).toBe(1);
    const c = 2 / Math.hypot(0.1, 2);
    const o = 0.1 / Math.hypot(0.1, 2);
    expect(pick.confidence).toBeCloseTo(Math.exp(10 * c) / (Math.exp(10 * c) + Math.exp(10 * o)), 6);
  });

  test('runs of one type become one IOB2 entity; a type change starts a new one', () => {
    expect(runsToIob2([0, 1, 1, 0, 1, 2, 2], ['Disease', 'Chemical'])).toEqual(['O', 'B-Disease', 'I-Disease', 'O', 'B-Disease', 'B-Chemical', 'I-Chemical']);
  });

  test('a sentence vector is the mean over attended positions that are not [CLS]/[SEP]', () => {
    // two rows of length 4, H = 1: ids [CLS=1, 7, 8, SEP=2] and [1, 9, 2, PAD=0 (mask 0)]
    const ids = Int32Array.from([1, 7, 8, 2, 1, 9, 2, 0]);
    const mask = Int32Array.from([1, 1, 1, 1, 1, 1, 1, 0]);
    const states = Float32Array.from([100, 3, 5, 100, 100, 6, 100, 100]);
    expect(meanPooledRows(states, ids, mask, 2, 4, 1, new Set([1, 2])).map((v) => Array.from(v))).toEqual([[4], [6]]);
  });
});

describe('evaluation/baseline-zero-shot stage', () => {
  test('labels every word of the split with the untrained-for-the-task encoder and scores it', async () => {
    const devel = readConll('datasets/ncbi-disease/devel.tsv').slice(0, 10);
    const dataset = await encodedDatasetArtifact(TINY_BERT, { test: devel }, ['O', 'B-Disease', 'I-Disease']);
    const params = { split: 'test', descriptions: { Disease: 'disease cancer' }, sharpness: 10, batch_size: 16, name: 'zero-shot', bins: 15 };
    const ctx = await stageContext({ stageId: 'zero-shot', params, inputs: { model: { dir: TINY_BERT, digest: 'm' }, dataset: { dir: dataset, digest: 'd' } }, outputs: ['predictions', 'metrics'] });
    await stage.run(ctx);
    const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
    expect([metrics.kind, metrics.name, metrics.metrics.sentences, metrics.metrics.tokens]).toEqual(['baseline', 'zero-shot', 10, devel.reduce((n, s) => n + s.tokens.length, 0)]);
    const lines = (await readFile(join(ctx.outputs.predictions!.dir, 'predictions.tsv'), 'utf8')).split('\n').filter((l) => l);
    expect(lines.every((l) => /^[^\t]+\t[^\t]+\t(O|[BI]-Disease)\t[01]\.\d{6}$/.test(l))).toBe(true);
  });
});

describe('evaluation/baseline-zero-shot on sentence classification', () => {
  const params = (descriptions: Record<string, string>) => ({ split: 'test', descriptions, sharpness: 10, batch_size: 2, name: 'zero-shot', bins: 15 });
  const run = async (examples: { text: string; label: string }[], descriptions: Record<string, string>) => {
    const dataset = await encodedTextDatasetArtifact(TINY_BERT, { test: examples }, ['ADE', 'NEG']);
    const ctx = await stageContext({ stageId: 'zero_shot', params: params(descriptions), inputs: { model: { dir: TINY_BERT, digest: 'm' }, dataset: { dir: dataset, digest: 'd' } }, outputs: ['predictions', 'metrics'] });
    await stage.run(ctx);
    return ctx;
  };

  test('a sentence equal to a class description takes that class; metrics as evaluation/classification writes them, kind baseline', async () => {
    // The sentences are the descriptions themselves (padded to 32 and batched, unlike the
    // descriptions): mean pooling over real sub-tokens must give cosine 1 with their own prototype.
    // The third sentence has the wrong gold label on purpose, so accuracy is 2/3.
    const descriptions = { ADE: 'cancer tumor', NEG: 'the patients was' };
    const examples = [
      { text: 'cancer tumor', label: 'ADE' },
      { text: 'the patients was', label: 'NEG' },
      { text: 'cancer tumor', label: 'NEG' },
    ];
    const ctx = await run(examples, descriptions);
    const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
    expect([metrics.kind, metrics.name, metrics.task, metrics.split]).toEqual(['baseline', 'zero-shot', 'sequence-classification', 'test']);
    expect(metrics.metrics.accuracy).toBeCloseTo(2 / 3, 10);
    expect(metrics.confusion).toEqual({ labels: ['ADE', 'NEG'], matrix: [[1, 0], [1, 1]] });
    expect(metrics.per_type.ADE.recall).toBe(1);
    expect(metrics.per_type.NEG.recall).toBe(0.5);
    expect(metrics.metrics.macro_f1).toBeCloseTo((2 / 3 + 2 / 3) / 2, 10);
    expect(metrics.calibration.token.count).toBe(3);
    const rows = (await readFile(join(ctx.outputs.predictions!.dir, 'predictions.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.text, r.gold, r.pred])).toEqual([['cancer tumor', 'ADE', 'ADE'], ['the patients was', 'NEG', 'NEG'], ['cancer tumor', 'NEG', 'ADE']]);
    // Both exact matches have cosine 1 with their own prototype and cos(ADE, NEG) with the other,
    // so softmax(10 × cos) gives them the same confidence; it sums to 1 with the other class.
    expect(rows[0].confidence).toBeGreaterThan(0.5);
    expect(rows[1].confidence).toBeCloseTo(rows[0].confidence, 5);
    expect(rows[0].probabilities.ADE + rows[0].probabilities.NEG).toBeCloseTo(1, 10);
  });

  test('a label without a description is an error that names it (no default can fit arbitrary classes)', async () => {
    await expect(run([{ text: 'cancer', label: 'ADE' }], { ADE: 'cancer tumor' })).rejects.toThrow(/missing: NEG/);
    await expect(run([{ text: 'cancer', label: 'ADE' }], { Disease: 'disease' })).rejects.toThrow(/missing: ADE, NEG; not labels of the dataset: Disease/);
  });
});
