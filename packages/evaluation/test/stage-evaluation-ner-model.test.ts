/**
 * evaluation/ner with model + encoded-dataset inputs, on the tiny Hugging Face fixture
 * (BertForTokenClassification, labels O / B-Disease / I-Disease / B-Chemical / I-Chemical, 64
 * positions, so NCBI's long sentences go through several windows). The fixture is untrained: these
 * tests check the word mapping and the bookkeeping, not accuracy.
 */
import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseNerPredictions } from '../src/predictions/ner-predictions.ts';
import stage from '../src/stages/evaluation-ner.ts';
import { encodedDatasetArtifact, readConll, TINY_BERT } from './helpers/artifacts.ts';
import { stageContext } from './helpers/stage-context.ts';

const LABELS = ['O', 'B-Disease', 'I-Disease', 'B-Chemical', 'I-Chemical'];
// The stages use @tunekit/compute's backend selection; cpu keeps the test independent of wasm threads.
process.env.TUNEKIT_BACKEND = 'cpu';

describe('evaluation/ner on a model', () => {
  test('first 20 sentences of NCBI-disease devel (many need several 64-position windows): one prediction per word, in input order', async () => {
    // A slice keeps the suite fast on 2 shared cores; the full devel set is run through
    // `tunekit predict` in the README's check.
    const devel = readConll('datasets/ncbi-disease/devel.tsv').slice(0, 20);
    const words = devel.reduce((n, s) => n + s.tokens.length, 0);
    const dataset = await encodedDatasetArtifact(TINY_BERT, { test: devel }, LABELS);
    const manifest = JSON.parse(await readFile(join(dataset, 'manifest.json'), 'utf8'));
    expect(manifest.splits.test.numRows).toBeGreaterThan(20); // windows were needed
    const params = { kind: 'fine-tune' as const, bins: 15, split: 'test', batch_size: 64, decoding: 'viterbi' as const };
    const ctx = await stageContext({ stageId: 'evaluate[strategy=full]', params, inputs: { model: { dir: TINY_BERT, digest: 'm' }, dataset: { dir: dataset, digest: 'd' } }, outputs: ['metrics', 'predictions'] });
    await stage.run(ctx);
    const file = join(ctx.outputs.predictions!.dir, 'predictions.tsv');
    const sentences = parseNerPredictions(await readFile(file, 'utf8'), file);
    expect(sentences).toHaveLength(20);
    expect(sentences.reduce((n, s) => n + s.tokens.length, 0)).toBe(words);
    expect(sentences.map((s) => s.tokens)).toEqual(devel.map((s) => s.tokens));
    expect(sentences.map((s) => s.gold)).toEqual(devel.map((s) => s.tags));
    const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
    expect(metrics.metrics.tokens).toBe(words);
    expect(metrics.metrics.loss).toBeGreaterThan(0);
    expect(metrics.calibration.token.count).toBe(words);
    expect(ctx.logged.progress.at(-1)).toBe(`rows ${manifest.splits.test.numRows}/${manifest.splits.test.numRows}`);
  });

  test('decoding: viterbi never predicts I-X after O or another type; argmax (per word) can', async () => {
    const devel = readConll('datasets/ncbi-disease/devel.tsv').slice(0, 20);
    const dataset = await encodedDatasetArtifact(TINY_BERT, { test: devel }, LABELS);
    const predict = async (decoding: 'viterbi' | 'argmax') => {
      const params = { kind: 'fine-tune' as const, bins: 15, split: 'test', batch_size: 64, decoding };
      const ctx = await stageContext({ stageId: `evaluate-${decoding}`, params, inputs: { model: { dir: TINY_BERT, digest: 'm' }, dataset: { dir: dataset, digest: 'd' } }, outputs: ['metrics', 'predictions'] });
      await stage.run(ctx);
      const file = join(ctx.outputs.predictions!.dir, 'predictions.tsv');
      return parseNerPredictions(await readFile(file, 'utf8'), file).map((s) => s.pred);
    };
    const invalid = (tags: string[][]) => tags.flatMap((sentence) => sentence.filter((tag, i) => tag.startsWith('I-') && (i === 0 || sentence[i - 1] === 'O' || sentence[i - 1]!.slice(2) !== tag.slice(2))));
    const [viterbi, argmax] = [await predict('viterbi'), await predict('argmax')];
    expect(invalid(viterbi)).toEqual([]);
    // The untrained fixture head does emit invalid sequences word by word: the two decodings differ there.
    expect(invalid(argmax).length).toBeGreaterThan(0);
    expect(viterbi).not.toEqual(argmax);
  });

  test('giving both predictions and a model is an error', async () => {
    const params = { kind: 'fine-tune' as const, bins: 15, split: 'test', batch_size: 64, decoding: 'viterbi' as const };
    const ctx = await stageContext({ stageId: 'e', params, inputs: { predictions: { dir: '/p', digest: 'p' }, model: { dir: TINY_BERT, digest: 'm' } }, outputs: ['metrics', 'predictions'] });
    await expect(stage.run(ctx)).rejects.toThrow('give either a predictions input or model + dataset, not both');
  });
});
