import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createModel, readSafetensors } from '@tunekit/model-loader';
import { writeEncodedDataset, type EncodedDataset, type EncodedSplit } from '@tunekit/data-prep';
import fineTune from '../src/stages/fine-tune.ts';
import type { FineTuneParams } from '../src/fine-tune/params.ts';
import { modelArtifact, outputsUnder } from './helpers/artifacts.ts';
import { stageContext, withDefaults } from './helpers/stage-context.ts';
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

  test('training/fine-tune: a new sequence-classification head sized from the label set, label names in config.json', async () => {
    const root = await tempDir();
    const encoded = await tempDir('tunekit-encoded-');
    await writeEncodedDataset(encoded, dataset, { maxLength: 10, tokenizer: { source: 'synthetic', vocabSize: 40, clsId: 2, sepId: 3, padId: 0, unkId: 1, lowercase: true } }, {});
    const params = withDefaults<FineTuneParams>(fineTune.params, { epochs: 1, batch_size: 8, learning_rate: 3e-3, metric: 'eval_accuracy' });
    const { ctx } = await stageContext(params, { model: await modelArtifact(), dataset: encoded }, outputsUnder(root), join(root, 'scratch'));
    await fineTune.run(ctx);
    const modelDir = ctx.outputs.model!.dir;
    const config = JSON.parse(await readFile(join(modelDir, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['BertForSequenceClassification']);
    expect(config.id2label).toEqual({ 0: 'none', 1: 'ade' });
    const classifier = (await readSafetensors(join(modelDir, 'model.safetensors'))).tensors.find((t) => t.name === 'classifier.weight')!;
    expect(classifier.shape).toEqual([2, TINY_CONFIG.hidden_size]);
    const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ task: 'sequence-classification', split: 'validation' });
    expect(metrics.metrics.accuracy).toBeGreaterThanOrEqual(0);
  });
});
