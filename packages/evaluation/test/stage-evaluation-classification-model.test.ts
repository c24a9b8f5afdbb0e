/**
 * evaluation/classification with model + encoded-dataset inputs: a sequence-classification head
 * (labels neg/pos, initialised by model-loader, seed 0) on the tiny fixture's encoder. Untrained:
 * checks one prediction per example, in order, and consistent bookkeeping.
 */
import { describe, expect, test } from '@jest/globals';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseClassificationPredictions } from '../src/predictions/classification-predictions.ts';
import stage from '../src/stages/evaluation-classification.ts';
import { TINY_BERT } from './helpers/artifacts.ts';
import { stageContext, tempDir } from './helpers/stage-context.ts';

process.env.TUNEKIT_BACKEND = 'cpu';

describe('evaluation/classification on a model', () => {
  test('one prediction per example in order; accuracy matches the written predictions', async () => {
    const loader = await import('@tunekit/model-loader');
    const dp = await import('@tunekit/data-prep');
    await loader.activateBackend('cpu');
    const model = await loader.loadModel(TINY_BERT, { head: 'sequence-classification', labels: ['neg', 'pos'], strict: false, seed: 0 });
    const modelDir = await tempDir('tunekit-cls-model-');
    await loader.saveModel(model, modelDir);
    model.dispose();
    await copyFile(join(TINY_BERT, 'vocab.txt'), join(modelDir, 'vocab.txt'));
    const examples = [
      { text: 'the drug caused a rash', label: 'pos' },
      { text: 'patients were enrolled', label: 'neg' },
      { text: 'severe hepatitis after treatment', label: 'pos' },
      { text: 'no event was reported', label: 'neg' },
      { text: 'a b c', label: 'neg' },
    ];
    const { encoded, stats } = await dp.tokenizeDataset({ task: 'sequence-classification', labels: ['neg', 'pos'], splits: { test: examples } }, await dp.loadTokenizer(modelDir), { maxLength: 32, stride: 0, labelAllSubtokens: false });
    const datasetDir = await tempDir('tunekit-cls-data-');
    await dp.writeEncodedDataset(datasetDir, encoded, { maxLength: 32, tokenizer: { source: 'vocab.txt', vocabSize: 120, clsId: 0, sepId: 0, padId: 0, unkId: 0, lowercase: true } }, stats);
    const params = { kind: 'fine-tune' as const, bins: 15, split: 'test', batch_size: 4 };
    const ctx = await stageContext({ stageId: 'evaluate[strategy=full]', params, inputs: { model: { dir: modelDir, digest: 'm' }, dataset: { dir: datasetDir, digest: 'd' } }, outputs: ['metrics', 'predictions'] });
    await stage.run(ctx);
    const file = join(ctx.outputs.predictions!.dir, 'predictions.jsonl');
    const rows = parseClassificationPredictions(await readFile(file, 'utf8'), file);
    expect(rows.map((r) => [r.text, r.gold])).toEqual(examples.map((e) => [e.text, e.label]));
    const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
    expect(metrics.metrics.accuracy).toBe(rows.filter((r) => r.gold === r.pred).length / 5);
    expect(metrics.confusion.labels).toEqual(['neg', 'pos']);
    expect(metrics.metrics.loss).toBeGreaterThan(0);
  });
});
