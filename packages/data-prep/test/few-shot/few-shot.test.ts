import { describe, expect, test } from '@jest/globals';
import conll from '../../src/stages/conll.ts';
import fewShot from '../../src/stages/few-shot.ts';
import { readDataset } from '../../src/dataset/read-dataset.ts';
import { sampleClassFewShot, sampleNerFewShot } from '../../src/few-shot/sample-few-shot.ts';
import type { TokenExample } from '../../src/dataset/types.ts';
import { REPO_ROOT, directoryDigest } from '../helpers/stage-context.ts';
import { runStage } from '../helpers/run-stage.ts';
import { textDatasetDir } from '../helpers/word-datasets.ts';

const ncbi = await runStage(conll, { params: { train: 'datasets/ncbi-disease/train.tsv', validation: 'datasets/ncbi-disease/devel.tsv' }, pipelineDir: REPO_ROOT });

describe('data-prep/few-shot on NCBI-disease', () => {
  test('k=5: five training sentences that contain a Disease mention; devel and labels unchanged', async () => {
    const { outputs } = await runStage(fewShot, { params: { k: 5 }, inputs: { dataset: ncbi.outputs.dataset! }, seed: 13 });
    const { manifest, dataset } = await readDataset(outputs.dataset!);
    const train = dataset.splits.train as TokenExample[];
    expect(train).toHaveLength(5);
    for (const sentence of train) expect(sentence.tags).toContain('B-Disease');
    expect(manifest.splits.validation!.examples).toBe(923);
    expect(manifest.labels).toEqual(['O', 'B-Disease', 'I-Disease']);
    expect(manifest.provenance.coverage).toEqual({ Disease: 5 });
  });

  test('same seed → identical bytes; the k=5 sample is inside the k=10 sample; another seed differs', async () => {
    const five = await runStage(fewShot, { params: { k: 5 }, inputs: { dataset: ncbi.outputs.dataset! }, seed: 13 });
    const again = await runStage(fewShot, { params: { k: 5 }, inputs: { dataset: ncbi.outputs.dataset! }, seed: 13 });
    const ten = await runStage(fewShot, { params: { k: 10 }, inputs: { dataset: ncbi.outputs.dataset! }, seed: 13 });
    const other = await runStage(fewShot, { params: { k: 5 }, inputs: { dataset: ncbi.outputs.dataset! }, seed: 14 });
    expect(await directoryDigest(again.outputs.dataset!)).toBe(await directoryDigest(five.outputs.dataset!));
    expect(await directoryDigest(other.outputs.dataset!)).not.toBe(await directoryDigest(five.outputs.dataset!));
    const sentences = async (dir: string) => ((await readDataset(dir)).dataset.splits.train as TokenExample[]).map((s) => s.tokens.join(' '));
    const tenSet = new Set(await sentences(ten.outputs.dataset!));
    expect(tenSet.size).toBe(10);
    for (const sentence of await sentences(five.outputs.dataset!)) expect(tenSet.has(sentence)).toBe(true);
  });
});

describe('few-shot sampling', () => {
  test('NER: every entity type is in at least k chosen sentences', () => {
    const s = (tags: string[]): TokenExample => ({ tokens: tags.map((_, i) => `w${i}`), tags });
    const examples = [s(['B-A']), s(['B-B']), s(['B-A', 'B-B']), s(['O']), s(['B-A']), s(['B-B']), s(['B-C']), s(['B-A'])];
    const { indices, coverage } = sampleNerFewShot(examples, 2, 5);
    expect(coverage.A).toBeGreaterThanOrEqual(2);
    expect(coverage.B).toBeGreaterThanOrEqual(2);
    expect(coverage.C).toBe(1); // only one sentence has C
    expect(indices).not.toContain(3);
  });

  test('classification: exactly k per class, fewer when a class has fewer', () => {
    const examples = [...Array.from({ length: 10 }, (_, i) => ({ text: `a${i}`, label: 'a' })), { text: 'b0', label: 'b' }];
    const { indices, coverage } = sampleClassFewShot(examples, ['a', 'b'], 3, 1);
    expect(coverage).toEqual({ a: 3, b: 1 });
    expect(indices).toHaveLength(4);
    expect(indices).toContain(10);
  });

  test('the stage samples classification datasets per class', async () => {
    const dataset = await textDatasetDir({ train: Array.from({ length: 12 }, (_, i) => ({ text: `t${i}`, label: i % 3 === 0 ? 'x' : 'y' })) }, ['x', 'y']);
    const { outputs } = await runStage(fewShot, { params: { k: 2 }, inputs: { dataset } });
    expect((await readDataset(outputs.dataset!)).manifest.splits.train!.labelCounts).toEqual({ x: 2, y: 2 });
  });
});
