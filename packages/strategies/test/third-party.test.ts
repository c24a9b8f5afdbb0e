import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyStrategy, getStrategy, listStrategies, STRATEGY_FILE, writeStrategyState } from '../src/index.ts';
import { stages as bitfitStages } from '../../../examples/custom-strategy/src/stages/index.ts';
import '../../../examples/custom-strategy/src/index.ts';
import { tempDir } from './helpers/temp.ts';
import { tinyModel, useCpu } from './helpers/tiny-model.ts';

beforeAll(() => useCpu());

describe('a strategy from a third-party package (examples/custom-strategy)', () => {
  test('importing the package registers it next to the built-ins', () => {
    expect(listStrategies()).toContain('bitfit');
    expect(getStrategy('bitfit').package).toBe('tunekit-strategy-bitfit');
  });

  test('applies through the same registry: only biases and the head train', () => {
    const model = tinyModel();
    const { counts } = applyStrategy(model, 'bitfit', {}, { seed: 0 });
    expect([...model.trainable].every((n) => n.endsWith('.bias') || n.startsWith('classifier.'))).toBe(true);
    expect(model.trainable.has('classifier.weight')).toBe(true);
    expect(counts.trainable).toBeLessThan(counts.total / 10);
    model.dispose();
  });

  test('tunekit_strategy.json records the package so another process can import it', async () => {
    const model = tinyModel();
    const { applied } = applyStrategy(model, 'bitfit', { include_layer_norm: true }, { seed: 0 });
    const dir = await tempDir();
    await writeStrategyState(dir, model, applied, 0);
    expect(JSON.parse(await readFile(join(dir, STRATEGY_FILE), 'utf8'))).toMatchObject({ name: 'bitfit', package: 'tunekit-strategy-bitfit', config: { include_layer_norm: true } });
    model.dispose();
  });

  test('its stage has a package-qualified id and the strategy schema as params', () => {
    expect(bitfitStages.map((s) => s.id)).toEqual(['tunekit-strategy-bitfit/bitfit']);
    expect(bitfitStages[0]!.params).toMatchObject({ properties: { include_layer_norm: { default: false } } });
  });
});
