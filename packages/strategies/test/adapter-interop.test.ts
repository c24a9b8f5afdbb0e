/**
 * Issue 18, finding 6d: a bottleneck-adapter model folder must not load silently without its
 * adapters in transformers. The adapter tensors are written into model.safetensors too, where
 * `from_pretrained` lists every tensor it does not use ("Some weights of the model checkpoint …
 * were not used"); TuneKit skips them and re-applies the strategy from tunekit_strategy.*.
 * (transformers cannot run here: the test checks the key sets that decide its warning.)
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { createModel, loadModel, parameterLayout, readSafetensors, saveModel } from '@tunekit/model-loader';
import { applyStrategy, loadModelWithStrategy, writeStrategyState } from '../src/index.ts';
import { tempDir } from './helpers/temp.ts';
import { LABELS, logitsOf, maxAbsDiff, perturb, TINY_CONFIG, useCpu } from './helpers/tiny-model.ts';

beforeAll(() => useCpu());

async function adapterTrainingOutput() {
  const model = createModel(TINY_CONFIG, 'token-classification', 2, { labels: LABELS });
  const { applied } = applyStrategy(model, 'adapter', { variant: 'houlsby' }, { seed: 3 });
  perturb(model, applied.addedParams);
  const dir = await tempDir();
  // What training/fine-tune writes (and training/export for the selected adapter model).
  await saveModel(model, dir);
  await writeStrategyState(dir, model, applied, 3);
  await applied.exportFiles!(dir, { baseModelNameOrPath: 'test' });
  return { model, applied, dir };
}

describe('bottleneck adapters in a model folder', () => {
  test('model.safetensors holds every adapter tensor beyond the BertForTokenClassification keys, so transformers warns about exactly them', async () => {
    const { model, applied, dir } = await adapterTrainingOutput();
    const keys = (await readSafetensors(join(dir, 'model.safetensors'))).tensors.map((t) => t.name);
    const hfKeys = new Set(parameterLayout(model.config, 'token-classification', { pooler: false }).map((s) => s.name));
    const unused = keys.filter((k) => !hfKeys.has(k)).sort();
    expect(unused).toEqual([...applied.addedParams].sort());
    expect(unused).toContain('bert.encoder.layer.0.attention.output.adapter.down.weight');
    model.dispose();
  });

  test('TuneKit loads the folder strictly (adapter tensors skipped) and, with the strategy, reproduces the training-time logits', async () => {
    const { model, applied, dir } = await adapterTrainingOutput();
    const plain = await loadModel(dir);
    expect([...plain.loadReport.skipped].sort()).toEqual([...applied.addedParams].sort());
    plain.dispose();
    const { model: restored } = await loadModelWithStrategy(dir);
    expect(maxAbsDiff(logitsOf(restored), logitsOf(model))).toBeLessThan(1e-6);
    restored.dispose();
    model.dispose();
  });
});
