import { beforeAll, describe, expect, test } from '@jest/globals';
import { applyStrategy } from '@tunekit/strategies';
import { classificationTask } from '../src/fine-tune/task.ts';
import { trainLoop } from '../src/loop/train-loop.ts';
import { useCpu } from './helpers/backend.ts';
import { loopOptions } from './helpers/options.ts';
import { syntheticNerDataset, tempDir, tinyModel, weightsDigest } from './helpers/tiny.ts';

beforeAll(() => useCpu());

const dataset = syntheticNerDataset();
const task = () => classificationTask(dataset, dataset.splits.train!, dataset.splits.validation!, 16);

async function train(strategy: string, config: Record<string, unknown>, overrides = {}, modelSeed = 1) {
  const model = tinyModel(modelSeed);
  const { applied } = applyStrategy(model, strategy, config, { seed: 3 });
  const before = new Map([...model.params].map(([n, v]) => [n, Buffer.from((v.dataSync() as Float32Array).slice().buffer)]));
  const metrics: Array<Record<string, number>> = [];
  const result = await trainLoop(model, task(), loopOptions(overrides), await tempDir(), 'test', { onStepMetrics: (_s, m) => metrics.push(m) });
  return { model, applied, before, result, metrics };
}

describe('trainLoop', () => {
  test('two runs with the same seed give bit-identical weights', async () => {
    const a = await train('full', {});
    const b = await train('full', {});
    expect(weightsDigest(a.model)).toBe(weightsDigest(b.model));
    a.model.dispose();
    b.model.dispose();
  });

  test('a different data/dropout seed gives different weights', async () => {
    const a = await train('full', {});
    const b = await train('full', {}, { seed: 43 });
    expect(weightsDigest(a.model)).not.toBe(weightsDigest(b.model));
    a.model.dispose();
    b.model.dispose();
  });

  test('steps: epochs × ceil(rows / batch) / accumulation; one evaluation per epoch', async () => {
    const { model, result } = await train('full', {}, { gradientAccumulationSteps: 2 });
    // 48 rows / 8 = 6 micro-batches per epoch → 3 optimizer steps per epoch → 6 in 2 epochs.
    expect(result.totalSteps).toBe(6);
    expect(result.state.step).toBe(6);
    expect(result.state.history.map((h) => h.step)).toEqual([3, 6]);
    model.dispose();
  });

  test('max_steps wins over epochs: it stops mid-epoch or runs past the first epoch, evaluating after the last step', async () => {
    // 48 rows / 8 = 6 steps per epoch.
    const short = await train('full', {}, { epochs: 2, maxSteps: 4 });
    expect([short.result.totalSteps, short.result.state.step]).toEqual([4, 4]);
    expect(short.result.state.history.map((h) => h.step)).toEqual([4]);
    const long = await train('full', {}, { epochs: 1, maxSteps: 8 });
    expect(long.result.state.step).toBe(8);
    expect(long.result.state.history.map((h) => h.step)).toEqual([6, 8]);
    short.model.dispose();
    long.model.dispose();
  });

  test('per-step metrics: loss, learning_rate (warmup then linear decay), grad_norm, tokens_per_s', async () => {
    const { model, metrics } = await train('full', {}, { epochs: 1 });
    expect(metrics).toHaveLength(6);
    expect(Object.keys(metrics[0]!)).toEqual(['loss', 'learning_rate', 'grad_norm', 'tokens_per_s']);
    expect(metrics.map((m) => m.learning_rate)).toEqual([0, 5e-4, 1e-3, 7.5e-4, 5e-4, 2.5e-4]);
    expect(metrics.every((m) => m.grad_norm! > 0 && m.loss! > 0 && m.tokens_per_s! > 0)).toBe(true);
    model.dispose();
  });

  test('progress after every optimizer step, also between logging steps (the console must never wait a whole logging window)', async () => {
    const model = tinyModel(1);
    applyStrategy(model, 'full', {}, { seed: 3 });
    const progress: Array<[number, number]> = [];
    const metricSteps: number[] = [];
    await trainLoop(model, task(), loopOptions({ epochs: 1, loggingSteps: 4 }), await tempDir(), 'test', {
      onProgress: (step, total, detail) => {
        progress.push([step, total]);
        expect(detail.loss).toBeGreaterThan(0);
      },
      onStepMetrics: (step) => metricSteps.push(step),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6].map((step) => [step, 6]));
    expect(metricSteps).toEqual([4, 6]);
    model.dispose();
  });

  test('learns the synthetic rule: entity F1 rises above 0.5 in 6 epochs', async () => {
    const { model, result } = await train('full', {}, { epochs: 6, learningRate: 5e-3, warmupSteps: 0 });
    expect(result.state.history.at(-1)!.eval_f1).toBeGreaterThan(0.5);
    model.dispose();
  });

  test.each([
    ['partial', { train_last_n_layers: 1 }],
    ['adapter', { bottleneck_size: 4 }],
    ['lora', { r: 2, target_modules: 'all-linear' }],
  ])('%s: every frozen tensor is bit-identical to the base after training; trainable ones changed', async (strategy, config) => {
    const { model, before } = await train(strategy, config, { epochs: 1, learningRate: 5e-3, weightDecay: 0.1 });
    let frozenChecked = 0;
    for (const [name, bytes] of before) {
      const now = Buffer.from((model.params.get(name)!.dataSync() as Float32Array).slice().buffer);
      if (model.trainable.has(name)) {
        if (!name.includes('lora_A')) expect(now.equals(bytes)).toBe(false);
      } else {
        expect(now.equals(bytes)).toBe(true);
        frozenChecked++;
      }
    }
    expect(frozenChecked).toBeGreaterThan(10);
    model.dispose();
  });

  test('early stopping: patience 1 with an unreachable threshold stops after the second evaluation', async () => {
    const { model, result } = await train('full', {}, { epochs: 5, patience: 1, threshold: 10 });
    expect(result.state.stopped).toBe(true);
    expect(result.state.history).toHaveLength(2);
    expect(result.state.step).toBe(12);
    model.dispose();
  });

  test('keep_best restores the weights of the best evaluation', async () => {
    const model = tinyModel();
    applyStrategy(model, 'full', {}, { seed: 3 });
    const digests = new Map<number, string>();
    const result = await trainLoop(
      model,
      task(),
      loopOptions({ epochs: 3, keepBest: true, metric: 'eval_loss', metricMode: 'min', evaluation: 'steps', evalSteps: 2, learningRate: 2e-2 }),
      await tempDir(),
      'test',
      { onEvaluation: (record) => digests.set(record.step, weightsDigest(model)) },
    );
    // evaluation: steps, eval_steps 2 → every second optimizer step (3 epochs × 6 steps).
    expect(result.state.history.map((h) => h.step)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
    const losses = result.state.history.map((h) => h.eval_loss!);
    const best = result.state.history[losses.indexOf(Math.min(...losses))]!.step;
    expect(result.state.early.bestStep).toBe(best);
    expect(weightsDigest(model)).toBe(digests.get(best));
    model.dispose();
  });
});
