import { describe, expect, test } from '@jest/globals';
import conll from '../../src/stages/conll.ts';
import { readDataset } from '../../src/dataset/read-dataset.ts';
import { REPO_ROOT, directoryDigest } from '../helpers/stage-context.ts';
import { runStage } from '../helpers/run-stage.ts';

describe('data-prep/conll on the shipped NCBI-disease files', () => {
  test('reads train 5,424 sentences / 135,701 tokens / 5,134 Disease mentions and devel 923 / 23,969 / 787', async () => {
    const { outputs } = await runStage(conll, {
      params: { train: 'datasets/ncbi-disease/train.tsv', validation: 'datasets/ncbi-disease/devel.tsv' },
      pipelineDir: REPO_ROOT,
    });
    const { manifest, dataset } = await readDataset(outputs.dataset!);
    expect(manifest.labels).toEqual(['O', 'B-Disease', 'I-Disease']);
    expect(manifest.splits.train).toEqual({ file: 'train.jsonl', examples: 5424, tokens: 135701, mentions: { Disease: 5134 } });
    expect(manifest.splits.validation).toEqual({ file: 'validation.jsonl', examples: 923, tokens: 23969, mentions: { Disease: 787 } });
    const tagCounts = (split: string) => {
      const counts: Record<string, number> = {};
      for (const example of dataset.splits[split]!) for (const tag of (example as { tags: string[] }).tags) counts[tag] = (counts[tag] ?? 0) + 1;
      return counts;
    };
    expect(tagCounts('train')).toEqual({ 'B-Disease': 5134, 'I-Disease': 6115, O: 124452 });
    expect(tagCounts('validation')).toEqual({ 'B-Disease': 787, 'I-Disease': 1090, O: 22092 });
  });

  test('validation_from_train holds out a seeded tenth of train and keeps devel as the test split', async () => {
    const { outputs } = await runStage(conll, {
      params: { train: 'datasets/ncbi-disease/train.tsv', test: 'datasets/ncbi-disease/devel.tsv', validation_from_train: 0.1 },
      pipelineDir: REPO_ROOT,
    });
    const { manifest } = await readDataset(outputs.dataset!);
    expect(manifest.splits.train!.examples).toBe(5424 - 542);
    expect(manifest.splits.validation!.examples).toBe(542);
    expect(manifest.splits.test!.examples).toBe(923);
    expect(manifest.splits.train!.tokens! + manifest.splits.validation!.tokens!).toBe(135701);
    expect(Object.keys(manifest.splits)).toEqual(['train', 'validation', 'test']);
  });

  test('same files + seed → identical dataset digest; another seed holds out other sentences', async () => {
    const params = { train: 'datasets/ncbi-disease/train.tsv', test: 'datasets/ncbi-disease/devel.tsv', validation_from_train: 0.1 };
    const a = await runStage(conll, { params, pipelineDir: REPO_ROOT, seed: 42 });
    const b = await runStage(conll, { params, pipelineDir: REPO_ROOT, seed: 42 });
    const c = await runStage(conll, { params, pipelineDir: REPO_ROOT, seed: 43 });
    expect(await directoryDigest(b.outputs.dataset!)).toBe(await directoryDigest(a.outputs.dataset!));
    expect(await directoryDigest(c.outputs.dataset!)).not.toBe(await directoryDigest(a.outputs.dataset!));
  });
});
