import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nearestPrototype, normalise, runsToIob2 } from '../src/baselines/zero-shot/prototypes.ts';
import stage from '../src/stages/baseline-zero-shot.ts';
import { encodedDatasetArtifact, readConll, TINY_BERT } from './helpers/artifacts.ts';
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
