/**
 * Issue 18, finding 6 (a, b): what TuneKit exports for LoRA is what PEFT needs to rebuild the same
 * model from the base checkpoint. PEFT itself cannot run here (no Python transformers / peft);
 * `peftFromPretrained` restates its loading rules over the file formats (helpers/peft-load.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel, loadModel, readSafetensors, saveModel, type LoadedBertModel } from '@tunekit/model-loader';
import { applyStrategy, PEFT_CONFIG_FILE, PEFT_WEIGHTS_FILE, restoreStrategy, writeStrategyState, type AppliedLora } from '../src/index.ts';
import { peftLinearModules, peftSelect } from '../src/lora/peft-format.ts';
import { peftFromPretrained } from './helpers/peft-load.ts';
import { tempDir } from './helpers/temp.ts';
import { logitsOf, maxAbsDiff, perturb, TINY_CONFIG, useCpu } from './helpers/tiny-model.ts';

const BUILTIN = join(dirname(fileURLToPath(import.meta.url)), '../../../models/biomed-bert-mini');
const LABELS = ['ADE', 'NEG'];
const opened: LoadedBertModel[] = [];
let mlmDir: string;

beforeAll(async () => {
  await useCpu();
  mlmDir = await tempDir();
  const mlm = createModel(TINY_CONFIG, 'masked-lm', 3);
  await saveModel(mlm, mlmDir);
  mlm.dispose();
});
afterAll(() => opened.forEach((m) => m.dispose()));

const keep = <T extends LoadedBertModel>(model: T): T => (opened.push(model), model);

describe('(a) LoRA sequence classification on an MLM base: the new pooler travels with the adapter', () => {
  async function trained(config: Record<string, unknown> = {}) {
    // As training does: the MLM checkpoint gets a new sequence-classification head (pooler + classifier at random).
    const model = keep(await loadModel(mlmDir, { head: 'sequence-classification', labels: LABELS, seed: 4 }));
    expect(model.loadReport.newlyInitialized).toEqual(expect.arrayContaining(['bert.pooler.dense.weight', 'classifier.weight']));
    const { applied } = applyStrategy(model, 'lora', config, { seed: 1 });
    perturb(model, [...applied.addedParams, 'classifier.weight']); // "training"
    const dir = await tempDir();
    await applied.exportFiles!(dir, { baseModelNameOrPath: mlmDir });
    return { model, applied: applied as AppliedLora, dir };
  }

  test('PEFT from_pretrained on the base reproduces the training-time logits', async () => {
    const { model, dir } = await trained();
    const peft = keep(await peftFromPretrained(mlmDir, dir, 'sequence-classification', LABELS));
    expect(maxAbsDiff(logitsOf(peft), logitsOf(model))).toBeLessThan(1e-6);
  });

  test('the adapter lists the pooler in modules_to_save and holds it under PEFT key names; it stays frozen in TuneKit', async () => {
    const { model, dir } = await trained();
    const adapterConfig = JSON.parse(await readFile(join(dir, PEFT_CONFIG_FILE), 'utf8'));
    expect(adapterConfig.modules_to_save).toEqual(['classifier', 'pooler']);
    const names = (await readSafetensors(join(dir, PEFT_WEIGHTS_FILE))).tensors.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['base_model.model.bert.pooler.dense.weight', 'base_model.model.bert.pooler.dense.bias', 'base_model.model.classifier.weight']));
    expect(model.trainable.has('bert.pooler.dense.weight')).toBe(false);
    expect(model.trainable.has('classifier.weight')).toBe(true);
  });

  test('modules_to_save: [] still saves the randomly initialised classifier and pooler (frozen), so PEFT reproduces the logits', async () => {
    const { model, dir } = await trained({ modules_to_save: [] });
    expect(JSON.parse(await readFile(join(dir, PEFT_CONFIG_FILE), 'utf8')).modules_to_save.sort()).toEqual(['classifier', 'pooler']);
    const peft = keep(await peftFromPretrained(mlmDir, dir, 'sequence-classification', LABELS));
    expect(maxAbsDiff(logitsOf(peft), logitsOf(model))).toBeLessThan(1e-6);
  });

  test('a checkpoint that already has its head saves only the configured modules', async () => {
    const model = keep(await loadModel(mlmDir, { head: 'masked-lm' }));
    const { applied } = applyStrategy(model, 'lora', {}, { seed: 1 });
    expect((applied as AppliedLora).modulesToSave).toEqual(['cls']);
  });
});

describe('(b) target_modules never reach a head: only the encoder and embeddings are targets', () => {
  const BODY_DENSE = (layers: number) =>
    Array.from({ length: layers }, (_, i) => [`attention.self.query`, `attention.self.value`, `attention.output.dense`, `intermediate.dense`, `output.dense`].map((m) => `bert.encoder.layer.${i}.${m}`)).flat().sort();

  test.each([
    ['names', ['query', 'value', 'dense']],
    ['a regex', '.*\\.(query|value|dense)'],
  ])('%s on the builtin MLM model: every body query/value/dense, not cls.predictions.transform.dense; the strategy re-applies under a classification head', async (_what, targets) => {
    const base = keep(await loadModel(BUILTIN));
    expect(base.head).toBe('masked-lm');
    const { applied } = applyStrategy(base, 'lora', { target_modules: targets }, { seed: 1 });
    const modules = (applied as AppliedLora).layers.map((l) => l.module).sort();
    expect(modules).toEqual(BODY_DENSE(base.config.num_hidden_layers));
    // The strategy stage's output, re-applied by training on a sequence-classification head (the failing path of the audit).
    const dir = await tempDir();
    await writeStrategyState(dir, base, applied, 1);
    const { copyFile } = await import('node:fs/promises');
    for (const file of ['config.json', 'model.safetensors']) await copyFile(join(BUILTIN, file), join(dir, file));
    const classifier = keep(await loadModel(dir, { head: 'sequence-classification', labels: LABELS }));
    const restored = (await restoreStrategy(classifier, dir)) as AppliedLora;
    expect(restored.layers.map((l) => l.module).sort()).toEqual(modules);
  });

  test('adapter_config target_modules select exactly the adapted modules in the transformers model (full paths when "dense" would reach the pooler)', async () => {
    const model = keep(await loadModel(BUILTIN, { head: 'sequence-classification', labels: LABELS }));
    const { applied } = applyStrategy(model, 'lora', { target_modules: ['query', 'value', 'dense'] }, { seed: 1 });
    const dir = await tempDir();
    await applied.exportFiles!(dir, { baseModelNameOrPath: 'builtin:biomed-bert-mini' });
    const { target_modules: recorded } = JSON.parse(await readFile(join(dir, PEFT_CONFIG_FILE), 'utf8'));
    const hf = peftLinearModules(model);
    expect(hf).toContain('bert.pooler.dense');
    expect(peftSelect(['dense'], hf)).toContain('bert.pooler.dense'); // why the short form would be wrong here
    expect(peftSelect(recorded, hf).sort()).toEqual((applied as AppliedLora).layers.map((l) => l.module).sort());
    expect(recorded).toContain('bert.encoder.layer.0.attention.output.dense');
  });

  test('the default [query, value] keeps PEFT\'s short form', async () => {
    const model = keep(await loadModel(BUILTIN, { head: 'sequence-classification', labels: LABELS }));
    const { applied } = applyStrategy(model, 'lora', {}, { seed: 1 });
    const dir = await tempDir();
    await applied.exportFiles!(dir, { baseModelNameOrPath: 'b' });
    expect(JSON.parse(await readFile(join(dir, PEFT_CONFIG_FILE), 'utf8')).target_modules).toEqual(['query', 'value']);
  });
});
