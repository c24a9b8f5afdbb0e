/**
 * Gradient accumulation and clipping as the loop applies them (the step counting and the clipping
 * function alone are tested in train-loop.test.ts and loss-and-stopping.test.ts).
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { createModel } from '@tunekit/model-loader';
import { applyStrategy } from '@tunekit/strategies';
import { trainLoop, type TrainTask } from '../src/loop/train-loop.ts';
import { classificationTask } from '../src/fine-tune/task.ts';
import { useCpu } from './helpers/backend.ts';
import { loopOptions } from './helpers/options.ts';
import { NER_LABELS, syntheticNerDataset, tempDir, TINY_CONFIG, tinyModel, weightsDigest } from './helpers/tiny.ts';
import type { LoopOptions } from '../src/loop/options.ts';
import type { EncodedSplit } from '@tunekit/data-prep';

beforeAll(() => useCpu());

/**
 * Four different rows of the same length, each with four labelled words: the mean loss over one
 * batch of four equals the mean of the mean losses of two batches of two.
 */
const ROWS = [
  [21, 31, 7, 9],
  [8, 22, 32, 6],
  [5, 6, 7, 8],
  [25, 11, 26, 36],
];
const tag = (id: number) => (id >= 30 ? 2 : id >= 20 ? 1 : 0);
function equalLengthTask(): TrainTask {
  const seqLen = 6;
  const n = ROWS.length;
  const split: EncodedSplit = {
    name: 'train',
    numRows: n,
    seqLen,
    inputIds: new Int32Array(n * seqLen),
    attentionMask: new Int32Array(n * seqLen).fill(1),
    tokenTypeIds: new Int32Array(n * seqLen),
    labels: new Int32Array(n * seqLen).fill(-100),
    examples: [],
  };
  ROWS.forEach((words, r) => {
    split.inputIds.set([2, ...words, 3], r * seqLen);
    words.forEach((id, w) => (split.labels[r * seqLen + 1 + w] = tag(id)));
  });
  return classificationTask({ task: 'token-classification', labels: NER_LABELS, splits: { train: split } }, split, undefined, 16);
}

async function firstStep(overrides: Partial<LoopOptions>): Promise<Record<string, number>> {
  const model = createModel({ ...TINY_CONFIG, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }, 'token-classification', 1, { labels: NER_LABELS });
  applyStrategy(model, 'full', {}, { seed: 3 });
  const metrics: Array<Record<string, number>> = [];
  await trainLoop(model, equalLengthTask(), loopOptions({ maxSteps: 1, maxGradNorm: 0, evaluation: 'no', groupByLength: false, ...overrides }), null, 'test', {
    onStepMetrics: (_s, m) => metrics.push(m),
  });
  model.dispose();
  return metrics[0]!;
}

describe('gradient accumulation', () => {
  test('two micro-batches of 2 give the loss and gradient norm of one batch of 4 (averaged, not summed, not the last only)', async () => {
    const whole = await firstStep({ batchSize: 4, gradientAccumulationSteps: 1 });
    const accumulated = await firstStep({ batchSize: 2, gradientAccumulationSteps: 2 });
    const half = await firstStep({ batchSize: 2, gradientAccumulationSteps: 1 });
    expect(accumulated.loss).toBeCloseTo(whole.loss!, 5);
    expect(Math.abs(accumulated.grad_norm! - whole.grad_norm!) / whole.grad_norm!).toBeLessThan(1e-4);
    // The check has teeth: one micro-batch alone gives another gradient.
    expect(Math.abs(half.grad_norm! - whole.grad_norm!) / whole.grad_norm!).toBeGreaterThan(1e-2);
  });
});

describe('global-norm clipping in the loop', () => {
  test('grad_norm is logged before clipping, and clipping changes the trajectory', async () => {
    const dataset = syntheticNerDataset();
    const run = async (maxGradNorm: number) => {
      const model = tinyModel();
      applyStrategy(model, 'full', {}, { seed: 3 });
      const norms: number[] = [];
      const task = classificationTask(dataset, dataset.splits.train!, dataset.splits.validation!, 16);
      await trainLoop(model, task, loopOptions({ epochs: 1, maxGradNorm, evaluation: 'no' }), await tempDir(), 'test', { onStepMetrics: (_s, m) => norms.push(m.grad_norm!) });
      const digest = weightsDigest(model);
      model.dispose();
      return { norms, digest };
    };
    const free = await run(0);
    const clipped = await run(1e-3);
    expect(clipped.norms[0]).toBe(free.norms[0]);
    expect(free.norms[0]).toBeGreaterThan(1e-3);
    expect(clipped.digest).not.toBe(free.digest);
  });
});
