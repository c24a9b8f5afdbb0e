import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import stage from '../src/stages/evaluation-ner.ts';
import { nerPredictionsArtifact, readConll } from './helpers/artifacts.ts';
import { stageContext } from './helpers/stage-context.ts';

async function runOn(sentences: Parameters<typeof nerPredictionsArtifact>[0], stageId = 'evaluate[strategy=lora]') {
  const dir = await nerPredictionsArtifact(sentences);
  const ctx = await stageContext({ stageId, params: { kind: 'fine-tune' as const, bins: 15, split: 'test', batch_size: 32, decoding: 'viterbi' as const }, inputs: { predictions: { dir, digest: 'x' } }, outputs: ['metrics', 'predictions'] });
  await stage.run(ctx);
  const out = ctx.outputs.metrics!.dir;
  return { ctx, metrics: JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')), manifest: JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) };
}

describe('evaluation/ner stage', () => {
  test('NCBI-disease devel with pred = gold: F1 1.0, 787 Disease mentions, confidence 1 → ECE 0', async () => {
    const devel = readConll('datasets/ncbi-disease/devel.tsv').map((s) => ({ tokens: s.tokens, gold: s.tags, pred: s.tags, confidence: s.tags.map(() => 1) }));
    const { metrics, manifest } = await runOn(devel);
    expect(metrics.metrics).toMatchObject({ f1: 1, f1_strict: 1, token_accuracy: 1, sentences: 923, tokens: 23969, ece: 0 });
    expect(metrics.per_type.Disease.support).toBe(787);
    expect(manifest).toMatchObject({ kind: 'metrics', schemaVersion: 1, file: 'metrics.json' });
  });

  test('name and strategy come from the matrix cell of the stage id', async () => {
    const { metrics } = await runOn([{ tokens: ['a'], gold: ['B-X'], pred: ['B-X'], confidence: [0.9] }]);
    expect([metrics.name, metrics.strategy, metrics.kind, metrics.split]).toEqual(['lora', 'lora', 'fine-tune', 'test']);
  });

  test('writes the tag confusion matrix (O first) and entity-level calibration; logs the scalars', async () => {
    const { ctx, metrics } = await runOn([{ tokens: ['a', 'b', 'c', 'd'], gold: ['B-X', 'I-X', 'O', 'B-Y'], pred: ['B-X', 'I-X', 'O', 'B-X'], confidence: [0.9, 0.7, 0.99, 0.6] }]);
    expect(metrics.confusion.labels).toEqual(['O', 'B-X', 'I-X', 'B-Y']);
    expect(metrics.confusion.matrix[3]).toEqual([0, 1, 0, 0]);
    expect(metrics.metrics.f1).toBeCloseTo(0.5, 12); // 1 correct of 2 predicted, 2 gold
    expect(metrics.calibration.entity_min.brier).toBeCloseTo((0.3 ** 2 + 0.6 ** 2) / 2, 12);
    expect(ctx.logged.metrics.f1).toBeCloseTo(0.5, 12);
    expect(ctx.logged.artifacts[0]).toMatch(/metrics\.json$/);
  });

  test('a predictions artifact of the wrong task is an error', async () => {
    const dir = await nerPredictionsArtifact([]);
    await (await import('node:fs/promises')).writeFile(join(dir, 'manifest.json'), JSON.stringify({ kind: 'predictions', schemaVersion: 1, task: 'sequence-classification', file: 'p.jsonl' }));
    const ctx = await stageContext({ stageId: 'e', params: { kind: 'fine-tune' as const, bins: 15, split: 'test', batch_size: 32, decoding: 'viterbi' as const }, inputs: { predictions: { dir, digest: 'x' } }, outputs: ['metrics', 'predictions'] });
    await expect(stage.run(ctx)).rejects.toThrow('evaluation/ner needs token-classification predictions');
  });
});
