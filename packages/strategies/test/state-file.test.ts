import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyStrategy, restoreStrategy, STRATEGY_FILE, writeStrategyState } from '../src/index.ts';
import { tempDir } from './helpers/temp.ts';
import { logitsOf, maxAbsDiff, perturb, tinyModel, useCpu } from './helpers/tiny-model.ts';

beforeAll(() => useCpu());

describe('tunekit_strategy.json + tunekit_strategy.safetensors', () => {
  test.each([
    ['lora', { r: 2, target_modules: 'all-linear' }],
    ['adapter', { variant: 'pfeiffer' }],
  ])('%s: restoring into a fresh base model reproduces the trained outputs exactly', async (name, config) => {
    const trained = tinyModel();
    const { applied } = applyStrategy(trained, name, config, { seed: 9 });
    perturb(trained, applied.addedParams);
    const dir = await tempDir();
    await writeStrategyState(dir, trained, applied, 9);
    const fresh = tinyModel();
    const restored = await restoreStrategy(fresh, dir);
    expect(restored!.name).toBe(name);
    expect(maxAbsDiff(logitsOf(fresh), logitsOf(trained))).toBe(0);
    expect([...fresh.trainable].sort()).toEqual([...trained.trainable].sort());
    trained.dispose();
    fresh.dispose();
  });

  test('records name, filled config, seed and the added parameter names', async () => {
    const model = tinyModel();
    const { applied } = applyStrategy(model, 'partial', { train_last_n_layers: 2 }, { seed: 4 });
    const dir = await tempDir();
    await writeStrategyState(dir, model, applied, 4);
    expect(JSON.parse(await readFile(join(dir, STRATEGY_FILE), 'utf8'))).toEqual({
      name: 'partial',
      config: { freeze_patterns: [], train_last_n_layers: 2, freeze_embeddings: true },
      seed: 4,
      added_params: [],
    });
    model.dispose();
  });

  test('a directory without a strategy restores nothing', async () => {
    const model = tinyModel();
    expect(await restoreStrategy(model, await tempDir())).toBeNull();
    model.dispose();
  });
});

describe('loadModelWithStrategy', () => {
  test('a saved LoRA model artifact loads with its trained LoRA weights; merge: true folds them in with the same outputs', async () => {
    const { saveModel } = await import('@tunekit/model-loader');
    const { loadModelWithStrategy } = await import('../src/index.ts');
    const trained = tinyModel();
    const { applied } = applyStrategy(trained, 'lora', { r: 2 }, { seed: 9 });
    perturb(trained, applied.addedParams);
    const dir = await tempDir();
    await saveModel(trained, dir);
    await writeStrategyState(dir, trained, applied, 9);
    const { model, strategy } = await loadModelWithStrategy(dir);
    expect(strategy!.name).toBe('lora');
    expect(maxAbsDiff(logitsOf(model), logitsOf(trained))).toBe(0);
    const merged = await loadModelWithStrategy(dir, { merge: true });
    expect(maxAbsDiff(logitsOf(merged.model), logitsOf(trained))).toBeLessThanOrEqual(1e-5);
    trained.dispose();
    model.dispose();
    merged.model.dispose();
  });
});
