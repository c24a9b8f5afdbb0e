import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { applyStrategy, type AppliedLora } from '../src/index.ts';
import { logitsOf, maxAbsDiff, perturb, snapshot, tinyModel, useCpu } from './helpers/tiny-model.ts';

beforeAll(() => useCpu());

const lora = (config: Record<string, unknown> = {}, head: Parameters<typeof tinyModel>[0] = 'token-classification') => {
  const model = tinyModel(head);
  const { applied, counts } = applyStrategy(model, 'lora', config, { seed: 5 });
  return { model, lora: applied as AppliedLora, counts };
};

describe('lora targets', () => {
  test('default [query, value] wraps those modules in every layer, with A [r, in] and B [out, r]', () => {
    const { model, lora: l } = lora({ r: 4 });
    expect(l.layers.map((x) => x.module)).toEqual([0, 1, 2].flatMap((i) => [`bert.encoder.layer.${i}.attention.self.query`, `bert.encoder.layer.${i}.attention.self.value`]));
    expect(model.params.get('bert.encoder.layer.0.attention.self.query.lora_A.weight')!.shape).toEqual([4, 16]);
    expect(model.params.get('bert.encoder.layer.0.attention.self.query.lora_B.weight')!.shape).toEqual([16, 4]);
    model.dispose();
  });

  test('a regex string is a full match on the module name (PEFT semantics)', () => {
    const { model, lora: l } = lora({ target_modules: 'bert\\.encoder\\.layer\\.[12]\\.intermediate\\.dense' });
    expect(l.layers.map((x) => x.module)).toEqual(['bert.encoder.layer.1.intermediate.dense', 'bert.encoder.layer.2.intermediate.dense']);
    model.dispose();
  });

  test('the targets do not depend on the head: a base model (with a used pooler) gets the same LoRA modules', () => {
    const base = lora({ target_modules: 'all-linear' }, 'none');
    const tagger = lora({ target_modules: 'all-linear' });
    expect(base.lora.addedParams).toEqual(tagger.lora.addedParams);
    base.model.dispose();
    tagger.model.dispose();
  });

  test('all-linear wraps every linear module but the task head and the pooler', () => {
    const { model, lora: l } = lora({ target_modules: 'all-linear' });
    expect(l.layers).toHaveLength(3 * 6);
    expect(l.layers.some((x) => x.module === 'classifier' || x.module.startsWith('bert.pooler'))).toBe(false);
    model.dispose();
  });

  test('a target matching nothing is an error listing the modules', () => {
    const model = tinyModel();
    expect(() => applyStrategy(model, 'lora', { target_modules: ['q_proj'] }, { seed: 0 })).toThrow(/target_modules \["q_proj"\] matches no linear module of the encoder \(available: bert\.encoder\.layer\.0\.attention\.self\.query/);
    model.dispose();
  });
});

describe('lora trainable set and scaling', () => {
  test('base frozen; LoRA matrices and the task head (modules_to_save default) train', () => {
    const { model, lora: l } = lora();
    expect(l.modulesToSave).toEqual(['classifier']);
    expect([...model.trainable].sort()).toEqual([...l.addedParams, 'classifier.bias', 'classifier.weight'].sort());
    model.dispose();
  });

  test('modules_to_save: [] leaves the head frozen', () => {
    const { model } = lora({ modules_to_save: [] });
    expect(model.trainable.has('classifier.weight')).toBe(false);
    model.dispose();
  });

  test('bias: lora_only trains the biases of adapted modules only', () => {
    const { model } = lora({ bias: 'lora_only', target_modules: ['query'] });
    expect(model.trainable.has('bert.encoder.layer.0.attention.self.query.bias')).toBe(true);
    expect(model.trainable.has('bert.encoder.layer.0.attention.self.key.bias')).toBe(false);
    model.dispose();
  });

  test('scaling is alpha / r, or alpha / sqrt(r) with use_rslora', () => {
    const a = lora({ r: 4, alpha: 8 });
    const b = lora({ r: 4, alpha: 8, use_rslora: true });
    expect(a.lora.layers[0]!.scaling).toBe(2);
    expect(b.lora.layers[0]!.scaling).toBe(4);
    a.model.dispose();
    b.model.dispose();
  });

  test('A is Kaiming-uniform within ±1/sqrt(in) and B is zero', () => {
    const { model } = lora();
    const a = model.params.get('bert.encoder.layer.0.attention.self.value.lora_A.weight')!.dataSync();
    expect(Math.max(...Array.from(a, Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(16));
    expect(Math.max(...Array.from(a, Math.abs))).toBeGreaterThan(0);
    expect(Array.from(model.params.get('bert.encoder.layer.0.attention.self.value.lora_B.weight')!.dataSync()).every((x) => x === 0)).toBe(true);
    model.dispose();
  });
});

describe('lora outputs, merge and unmerge', () => {
  test('at initialisation the logits equal the base model (within 1e-6)', () => {
    const model = tinyModel();
    const base = logitsOf(model);
    applyStrategy(model, 'lora', { target_modules: 'all-linear', r: 4 }, { seed: 5 });
    expect(maxAbsDiff(logitsOf(model), base)).toBeLessThanOrEqual(1e-6);
    model.dispose();
  });

  test('merged and unmerged outputs agree within 1e-5 for a non-zero update', () => {
    const { model, lora: l } = lora({ target_modules: 'all-linear', r: 4, alpha: 8 });
    perturb(model, l.addedParams.filter((n) => n.includes('lora_B')));
    const unmerged = logitsOf(model);
    l.merge();
    expect(maxAbsDiff(logitsOf(model), unmerged)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  test('unmerge restores every base weight within 1e-6', () => {
    const { model, lora: l } = lora({ target_modules: 'all-linear', r: 4, alpha: 8 });
    perturb(model, l.addedParams.filter((n) => n.includes('lora_B')));
    const before = snapshot(model);
    l.merge();
    expect(maxAbsDiff(model.params.get('bert.encoder.layer.1.output.dense.weight')!.dataSync(), before.get('bert.encoder.layer.1.output.dense.weight')!)).toBeGreaterThan(1e-4);
    l.unmerge();
    for (const [name, values] of before) expect(maxAbsDiff(model.params.get(name)!.dataSync(), values)).toBeLessThanOrEqual(1e-6);
    model.dispose();
  });

  test('merge assigns a new tensor to the weight variable (never writes into the old buffer)', () => {
    const { model, lora: l } = lora({ r: 2 });
    perturb(model, l.addedParams.filter((n) => n.includes('lora_B')));
    const weight = model.params.get('bert.encoder.layer.0.attention.self.query.weight')!;
    const oldDataId = weight.dataId;
    const oldValues = weight.dataSync().slice();
    const kept = tf.clone(weight); // shares the old buffer: it must still hold the old values
    l.merge();
    expect(weight.dataId).not.toBe(oldDataId);
    expect(Array.from(kept.dataSync())).toEqual(Array.from(oldValues));
    kept.dispose();
    model.dispose();
  });

  test('dropout acts only in training mode and is seeded', () => {
    const { model, lora: l } = lora({ dropout: 0.5, r: 4 });
    perturb(model, l.addedParams.filter((n) => n.includes('lora_B')));
    const run = (seed: number) =>
      tf.tidy(() => model.forward({ inputIds: tf.tensor2d([[2, 7, 9, 3]], undefined, 'int32') }, { training: true, seed }).logits!.dataSync().slice());
    expect(Array.from(run(1))).toEqual(Array.from(run(1)));
    expect(maxAbsDiff(run(1), run(2))).toBeGreaterThan(0);
    model.dispose();
  });
});
