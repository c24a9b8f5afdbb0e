import { beforeAll, describe, expect, test } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { saveModel } from '@tunekit/model-loader';
import { writeManifest } from '@tunekit/pipeline';
import { stages } from '../src/stages/index.ts';
import { STRATEGY_FILE, STRATEGY_WEIGHTS_FILE } from '../src/index.ts';
import { stageContext } from './helpers/stage-context.ts';
import { tempDir } from './helpers/temp.ts';
import { tinyModel, useCpu } from './helpers/tiny-model.ts';

process.env.TUNEKIT_BACKEND = 'cpu';
beforeAll(() => useCpu());

async function baseModelDir(): Promise<string> {
  const dir = await tempDir();
  const model = tinyModel('none');
  await saveModel(model, dir);
  await writeManifest(dir, { kind: 'model', schemaVersion: 1, source: 'test:tiny' });
  model.dispose();
  return dir;
}

const stage = (id: string) => stages.find((s) => s.id === id)!;

describe('strategies/<name> stages', () => {
  test('one stage per built-in strategy', () => {
    expect(stages.map((s) => s.id)).toEqual(['strategies/full', 'strategies/partial', 'strategies/adapter', 'strategies/lora', 'strategies/apply']);
  });

  test('strategies/lora copies the base files and adds the strategy record and weights', async () => {
    const input = await baseModelDir();
    const { ctx, log } = await stageContext({ r: 4, alpha: 8, dropout: 0, target_modules: ['query', 'value'], use_rslora: false, modules_to_save: null, bias: 'none' }, { model: input }, ['model']);
    await stage('strategies/lora').run(ctx);
    const out = ctx.outputs.model!.dir;
    expect((await readdir(out)).sort()).toEqual(['config.json', 'manifest.json', 'model.safetensors', STRATEGY_FILE, STRATEGY_WEIGHTS_FILE].sort());
    expect(await readFile(join(out, 'model.safetensors'))).toEqual(await readFile(join(input, 'model.safetensors')));
    expect(JSON.parse(await readFile(join(out, STRATEGY_FILE), 'utf8'))).toMatchObject({ name: 'lora', seed: 42, config: { r: 4, alpha: 8 } });
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ kind: 'model', source: 'test:tiny', strategy: { name: 'lora' } });
    expect(log.info.some((m) => /^strategy lora: trainable params: [\d,]+ \|\| all params: [\d,]+ \|\| trainable%: \d+\.\d{4}$/.test(m))).toBe(true);
    expect(Object.keys(log.metrics[0]!.values)).toEqual(['trainable_params', 'total_params', 'trainable_percent']);
  });

  test('strategies/partial writes no weights file (it adds no parameters)', async () => {
    const { ctx } = await stageContext({ freeze_patterns: [], train_last_n_layers: 1, freeze_embeddings: true }, { model: await baseModelDir() }, ['model']);
    await stage('strategies/partial').run(ctx);
    expect(await readdir(ctx.outputs.model!.dir)).not.toContain(STRATEGY_WEIGHTS_FILE);
  });

  test('a model that already carries a strategy is refused', async () => {
    const first = await stageContext({}, { model: await baseModelDir() }, ['model']);
    await stage('strategies/full').run(first.ctx);
    const second = await stageContext({}, { model: first.ctx.outputs.model!.dir }, ['model']);
    await expect(stage('strategies/full').run(second.ctx)).rejects.toThrow('the input model already carries strategy "full"');
  });

  test('strategies/apply applies the strategy named by its param with that strategy\'s entry of configs', async () => {
    const { ctx } = await stageContext({ strategy: 'adapter', configs: { adapter: { variant: 'pfeiffer', bottleneck_size: 2 }, lora: { r: 64 } } }, { model: await baseModelDir() }, ['model']);
    await stage('strategies/apply').run(ctx);
    const state = JSON.parse(await readFile(join(ctx.outputs.model!.dir, STRATEGY_FILE), 'utf8'));
    expect(state).toMatchObject({ name: 'adapter', config: { variant: 'pfeiffer', bottleneck_size: 2, activation: 'relu' } });
    expect(state.added_params).toHaveLength(3 * 4);
  });

  test('strategies/apply validates the chosen config with the strategy schema', async () => {
    const { ctx } = await stageContext({ strategy: 'lora', configs: { lora: { rank: 8 } } }, { model: await baseModelDir() }, ['model']);
    await expect(stage('strategies/apply').run(ctx)).rejects.toThrow('strategy "lora": invalid config: (config) must NOT have additional properties');
  });
});
