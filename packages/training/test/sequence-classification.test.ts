import { beforeAll, describe, expect, test } from '@jest/globals';
import { createModel } from '@tunekit/model-loader';
import type { EncodedDataset, EncodedSplit } from '@tunekit/data-prep';
import { applyStrategy } from '@tunekit/strategies';
import { classificationTask } from '../src/fine-tune/task.ts';
import { trainLoop } from '../src/loop/train-loop.ts';
import { useCpu } from './helpers/backend.ts';
import { loopOptions } from './helpers/options.ts';
import { tempDir, TINY_CONFIG, weightsDigest } from './helpers/tiny.ts';

beforeAll(() => useCpu());

/** Label "ade" when the sentence holds a token id in 20–29, else "none". */
function split(name: string, rows: number, seed: number): EncodedSplit {
  let state = seed;
  const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
  const seqLen = 10;
  const inputIds = new Int32Array(rows * seqLen);
  const attentionMask = new Int32Array(rows * seqLen);
  const labels = new Int32Array(rows);
  const examples: EncodedSplit['examples'] = [];
  for (let r = 0; r < rows; r++) {
    const n = 3 + Math.floor(rand() * 6);
    const positive = rand() < 0.5;
    inputIds[r * seqLen] = 2;
    for (let i = 1; i <= n; i++) inputIds[r * seqLen + i] = 5 + Math.floor(rand() * 15);
    if (positive) inputIds[r * seqLen + 1 + Math.floor(rand() * n)] = 20 + Math.floor(rand() * 10);
    inputIds[r * seqLen + n + 1] = 3;
    attentionMask.fill(1, r * seqLen, r * seqLen + n + 2);
    labels[r] = positive ? 1 : 0;
    examples.push({ text: `row ${r}`, label: positive ? 'ade' : 'none' });
  }
  return { name, numRows: rows, seqLen, inputIds, attentionMask, tokenTypeIds: new Int32Array(rows * seqLen), labels, examples };
}

const dataset: EncodedDataset = { task: 'sequence-classification', labels: ['none', 'ade'], splits: { train: split('train', 64, 5), validation: split('validation', 32, 9) } };

describe('sequence classification', () => {
  test('trains the pooler + classifier head, reports accuracy and macro/micro F1, deterministically', async () => {
    const run = async () => {
      const model = createModel(TINY_CONFIG, 'sequence-classification', 1, { labels: dataset.labels });
      applyStrategy(model, 'full', {}, { seed: 0 });
      const result = await trainLoop(model, classificationTask(dataset, dataset.splits.train!, dataset.splits.validation!, 16), loopOptions({ epochs: 2, learningRate: 3e-3, metric: 'eval_accuracy' }), await tempDir(), 'seq');
      return { model, result };
    };
    const a = await run();
    const b = await run();
    expect(a.model.trainable.has('bert.pooler.dense.weight')).toBe(true);
    const last = a.result.state.history.at(-1)!;
    expect(Object.keys(last).sort()).toEqual(['epoch', 'eval_accuracy', 'eval_f1', 'eval_loss', 'eval_micro_f1', 'step', 'train_loss']);
    expect(a.result.state.history.map((h) => h.step)).toEqual([8, 16]);
    expect(last.eval_accuracy! * 32).toBe(Math.round(last.eval_accuracy! * 32));
    expect(last.eval_micro_f1).toBeCloseTo(last.eval_accuracy!, 12);
    expect(weightsDigest(a.model)).toBe(weightsDigest(b.model));
    a.model.dispose();
    b.model.dispose();
  });
});
