import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createModel, loadModel, readSafetensors, saveModel, type LoadedBertModel } from '@tunekit/model-loader';
import { applyStrategy, PEFT_CONFIG_FILE, PEFT_WEIGHTS_FILE } from '../src/index.ts';
import { tempDir } from './helpers/temp.ts';
import { TINY_CONFIG, useCpu } from './helpers/tiny-model.ts';

const POOLER = ['bert.pooler.dense.weight', 'bert.pooler.dense.bias'];
const STRATEGIES: Array<[string, Record<string, unknown>]> = [
  ['full', {}],
  ['partial', { train_last_n_layers: 0 }],
  ['adapter', {}],
  ['lora', {}],
];

let mlmDir: string;
let clsDir: string;
beforeAll(async () => {
  await useCpu();
  // A masked-LM checkpoint has no pooler (like builtin:biomed-bert-mini); a sequence-classification one has.
  mlmDir = await tempDir();
  const mlm = createModel(TINY_CONFIG, 'masked-lm', 3);
  await saveModel(mlm, mlmDir);
  mlm.dispose();
  clsDir = await tempDir();
  const cls = await loadModel(mlmDir, { head: 'sequence-classification', labels: ['ADE', 'NEG'], seed: 4 });
  await saveModel(cls, clsDir);
  cls.dispose();
});

const opened: LoadedBertModel[] = [];
afterAll(() => opened.forEach((m) => m.dispose()));
async function classifierOn(dir: string): Promise<LoadedBertModel> {
  const model = await loadModel(dir, { head: 'sequence-classification', labels: ['ADE', 'NEG'], seed: 4 });
  opened.push(model);
  return model;
}

describe('parameters the checkpoint did not hold train under every strategy', () => {
  test('a sequence-classification head on a masked-LM checkpoint: the loader reports the pooler as newly initialised', async () => {
    const model = await classifierOn(mlmDir);
    expect(model.loadReport.newlyInitialized).toEqual(expect.arrayContaining([...POOLER, 'classifier.weight', 'classifier.bias']));
  });

  test.each(STRATEGIES)('%s: the new pooler and the new head train, and the log says so', async (name, config) => {
    const model = await classifierOn(mlmDir);
    const messages: string[] = [];
    applyStrategy(model, name, config, { seed: 1, log: (m) => messages.push(m) });
    for (const param of [...POOLER, 'classifier.weight']) expect(model.trainable.has(param)).toBe(true);
    // (LoRA trains it through modules_to_save, tested below.)
    if (name === 'partial' || name === 'adapter') {
      expect(messages.some((m) => m.includes('newly initialised') && m.includes('bert.pooler.dense.weight'))).toBe(true);
    }
    // The encoder stays as the strategy left it: frozen for the parameter-efficient ones.
    expect(model.trainable.has('bert.encoder.layer.0.attention.self.query.weight')).toBe(name === 'full');
  });

  test.each(STRATEGIES.filter(([name]) => name !== 'full'))('%s: a pooler the checkpoint held stays frozen like the rest of the encoder', async (name, config) => {
    const model = await classifierOn(clsDir);
    expect(model.loadReport.newlyInitialized).toEqual([]);
    applyStrategy(model, name, config, { seed: 1 });
    for (const param of POOLER) expect(model.trainable.has(param)).toBe(false);
  });

  test('LoRA saves the new pooler with the head (modules_to_save), so PEFT restores the trained pooler', async () => {
    const model = await classifierOn(mlmDir);
    const { applied } = applyStrategy(model, 'lora', {}, { seed: 1 });
    const dir = await tempDir();
    await applied.exportFiles!(dir, { baseModelNameOrPath: 'builtin:biomed-bert-mini' });
    const adapterConfig = JSON.parse(await readFile(join(dir, PEFT_CONFIG_FILE), 'utf8'));
    expect(adapterConfig.modules_to_save).toEqual(['classifier', 'pooler']);
    const names = (await readSafetensors(join(dir, PEFT_WEIGHTS_FILE))).tensors.map((t) => t.name);
    for (const param of POOLER) expect(names).toContain(`base_model.model.${param}`);
  });

  test('LoRA on a checkpoint with a pooler keeps modules_to_save to the head', async () => {
    const model = await classifierOn(clsDir);
    const { applied } = applyStrategy(model, 'lora', {}, { seed: 1 });
    const dir = await tempDir();
    await applied.exportFiles!(dir, { baseModelNameOrPath: 'x' });
    expect(JSON.parse(await readFile(join(dir, PEFT_CONFIG_FILE), 'utf8')).modules_to_save).toEqual(['classifier']);
  });
});
