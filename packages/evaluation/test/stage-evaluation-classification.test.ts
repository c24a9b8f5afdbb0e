import { describe, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManifest } from '@tunekit/pipeline';
import stage from '../src/stages/evaluation-classification.ts';
import { stageContext, tempDir } from './helpers/stage-context.ts';

async function predictionsArtifact(lines: string[], labels?: string[]) {
  const dir = await tempDir();
  await writeFile(join(dir, 'predictions.jsonl'), lines.join('\n') + '\n');
  await writeManifest(dir, { kind: 'predictions', schemaVersion: 1, task: 'sequence-classification', file: 'predictions.jsonl', split: 'test', ...(labels ? { labels } : {}) });
  return dir;
}

const params = { kind: 'fine-tune' as const, bins: 15, split: 'test', batch_size: 32 };

describe('evaluation/classification stage', () => {
  test('accuracy, macro F1, confusion matrix, multi-class Brier and loss from JSONL predictions', async () => {
    const dir = await predictionsArtifact(
      [
        { gold: 'ade', pred: 'ade', confidence: 0.8, probabilities: { ade: 0.8, neg: 0.2 } },
        { gold: 'ade', pred: 'neg', confidence: 0.6, probabilities: { ade: 0.4, neg: 0.6 } },
        { gold: 'neg', pred: 'neg', confidence: 0.9, probabilities: { ade: 0.1, neg: 0.9 } },
        { gold: 'neg', pred: 'neg', confidence: 0.7, probabilities: { ade: 0.3, neg: 0.7 } },
      ].map((r) => JSON.stringify(r)),
      ['ade', 'neg'],
    );
    const ctx = await stageContext({ stageId: 'evaluate[strategy=full]', params, inputs: { predictions: { dir, digest: 'x' } }, outputs: ['metrics', 'predictions'] });
    await stage.run(ctx);
    const m = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
    expect(m.metrics.accuracy).toBe(0.75);
    // ade: P 1, R 0.5, F1 2/3; neg: P 2/3, R 1, F1 0.8 → macro 0.7333…
    expect(m.metrics.macro_f1).toBeCloseTo((2 / 3 + 0.8) / 2, 12);
    expect(m.confusion).toEqual({ labels: ['ade', 'neg'], matrix: [[1, 1], [0, 2]] });
    expect(m.metrics.brier).toBeCloseTo((2 * 0.04 + 2 * 0.36 + 2 * 0.01 + 2 * 0.09) / 4, 12);
    expect(m.metrics.loss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.4) + Math.log(0.9) + Math.log(0.7)) / 4, 12);
    expect(m.task).toBe('sequence-classification');
  });

  test('a row without gold is an error naming the row', async () => {
    const dir = await predictionsArtifact([JSON.stringify({ gold: 'a', pred: 'a', confidence: 1 }), JSON.stringify({ pred: 'a', confidence: 1 })]);
    const ctx = await stageContext({ stageId: 'e', params, inputs: { predictions: { dir, digest: 'x' } }, outputs: ['metrics', 'predictions'] });
    await expect(stage.run(ctx)).rejects.toThrow('row 2 has no "gold" label');
  });

  test('malformed JSON is an error naming file:line', async () => {
    const dir = await predictionsArtifact(['{"gold": "a"', '']);
    const ctx = await stageContext({ stageId: 'e', params, inputs: { predictions: { dir, digest: 'x' } }, outputs: ['metrics', 'predictions'] });
    await expect(stage.run(ctx)).rejects.toThrow(`${join(dir, 'predictions.jsonl')}:1: not valid JSON`);
  });
});
