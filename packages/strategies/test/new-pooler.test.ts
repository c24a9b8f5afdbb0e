import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createModel, loadModel, readSafetensors, saveModel, type LoadedBertModel } from '@tunekit/model-loader';
import { applyStrategy, PEFT_CONFIG_FILE, PEFT_WEIGHTS_FILE } from '../src/index.ts';
import { tempDir } from './helpers/temp.ts';
import { TINY_CONFIG, useCpu } from './helpers/tiny-model.ts';

// A sequence-classification head on a masked-LM checkpoint (like builtin:biomed-bert-mini): the
// loader initialises the pooler at random. As in PEFT, the parameter-efficient strategies keep it
// frozen unless asked (LoRA: modules_to_save); training it at their learning rates made LoRA
// collapse on ADE-Corpus-V2 (pipelines/medical-ner.md).
const POOLER = ['bert.pooler.dense.weight', 'bert.pooler.dense.bias'];
let mlmDir: string;
const opened: LoadedBertModel[] = [];

beforeAll(async () => {
  await useCpu();
  mlmDir = await tempDir();
  const mlm = createModel(TINY_CONFIG, 'masked-lm', 3);
  await saveModel(mlm, mlmDir);
  mlm.dispose();
});
afterAll(() => opened.forEach((m) => m.dispose()));

async function classifier(): Promise<LoadedBertModel> {
  const model = await loadModel(mlmDir, { head: 'sequence-classification', labels: ['ADE', 'NEG'], seed: 4 });
  opened.push(model);
  return model;
}

describe('a pooler the checkpoint did not hold', () => {
  test('the loader reports it as newly initialised, with the new head', async () => {
    expect((await classifier()).loadReport.newlyInitialized).toEqual(expect.arrayContaining([...POOLER, 'classifier.weight', 'classifier.bias']));
  });

  test.each([
    ['full', {}, true],
    ['partial', { train_last_n_layers: 2 }, true],
    ['partial', { train_last_n_layers: 0 }, false],
    ['adapter', {}, false],
    ['lora', {}, false],
  ])('%s %j: pooler trainable = %s (the head always trains)', async (name, config, trainable) => {
    const model = await classifier();
    applyStrategy(model, name, config, { seed: 1 });
    for (const param of POOLER) expect(model.trainable.has(param)).toBe(trainable);
    expect(model.trainable.has('classifier.weight')).toBe(true);
  });

  test('LoRA with modules_to_save ["classifier", "pooler"] trains it and writes it into the PEFT adapter', async () => {
    const model = await classifier();
    const { applied } = applyStrategy(model, 'lora', { modules_to_save: ['classifier', 'pooler'] }, { seed: 1 });
    for (const param of POOLER) expect(model.trainable.has(param)).toBe(true);
    const dir = await tempDir();
    await applied.exportFiles!(dir, { baseModelNameOrPath: 'builtin:biomed-bert-mini' });
    expect(JSON.parse(await readFile(join(dir, PEFT_CONFIG_FILE), 'utf8')).modules_to_save).toEqual(['classifier', 'pooler']);
    const names = (await readSafetensors(join(dir, PEFT_WEIGHTS_FILE))).tensors.map((t) => t.name);
    for (const param of POOLER) expect(names).toContain(`base_model.model.${param}`);
  });
});
