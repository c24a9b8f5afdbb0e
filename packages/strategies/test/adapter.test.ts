import { beforeAll, describe, expect, test } from '@jest/globals';
import { applyStrategy } from '../src/index.ts';
import { logitsOf, maxAbsDiff, perturb, tinyModel, useCpu } from './helpers/tiny-model.ts';

beforeAll(() => useCpu());

describe('adapter', () => {
  test('houlsby adds an adapter after the attention output and after the FFN output of every layer', () => {
    const model = tinyModel();
    const { applied } = applyStrategy(model, 'adapter', { reduction_factor: 4 }, { seed: 3 });
    expect(applied.addedParams.filter((n) => n.endsWith('.down.weight'))).toEqual([
      'bert.encoder.layer.0.attention.output.adapter.down.weight',
      'bert.encoder.layer.0.output.adapter.down.weight',
      'bert.encoder.layer.1.attention.output.adapter.down.weight',
      'bert.encoder.layer.1.output.adapter.down.weight',
      'bert.encoder.layer.2.attention.output.adapter.down.weight',
      'bert.encoder.layer.2.output.adapter.down.weight',
    ]);
    expect(model.params.get('bert.encoder.layer.0.output.adapter.down.weight')!.shape).toEqual([4, 16]);
    expect(model.params.get('bert.encoder.layer.0.output.adapter.up.weight')!.shape).toEqual([16, 4]);
    model.dispose();
  });

  test('pfeiffer adds one adapter per layer, after the FFN output; bottleneck_size wins over reduction_factor', () => {
    const model = tinyModel();
    const { applied } = applyStrategy(model, 'adapter', { variant: 'pfeiffer', bottleneck_size: 3 }, { seed: 3 });
    expect(applied.addedParams).toHaveLength(3 * 4);
    expect(applied.addedParams.every((n) => /^bert\.encoder\.layer\.\d\.output\.adapter\./.test(n))).toBe(true);
    expect(model.params.get('bert.encoder.layer.2.output.adapter.up.weight')!.shape).toEqual([16, 3]);
    model.dispose();
  });

  test.each(['houlsby', 'pfeiffer'])('%s at initialisation leaves the logits equal to the base model (within 1e-6)', (variant) => {
    const model = tinyModel();
    const base = logitsOf(model);
    applyStrategy(model, 'adapter', { variant, activation: 'gelu' }, { seed: 3 });
    expect(maxAbsDiff(logitsOf(model), base)).toBeLessThanOrEqual(1e-6);
    model.dispose();
  });

  test('only adapters and the head train; the base is frozen', () => {
    const model = tinyModel();
    const { applied } = applyStrategy(model, 'adapter', {}, { seed: 3 });
    expect([...model.trainable].sort()).toEqual([...applied.addedParams, 'classifier.bias', 'classifier.weight'].sort());
    model.dispose();
  });

  test('a trained (non-zero) adapter changes the outputs, and remove() restores the base model', () => {
    const model = tinyModel();
    const base = logitsOf(model);
    const { applied } = applyStrategy(model, 'adapter', {}, { seed: 3 });
    perturb(model, applied.addedParams.filter((n) => n.includes('.up.')));
    expect(maxAbsDiff(logitsOf(model), base)).toBeGreaterThan(1e-3);
    applied.remove();
    expect(maxAbsDiff(logitsOf(model), base)).toBe(0);
    expect([...model.params.keys()].some((n) => n.includes('adapter'))).toBe(false);
    model.dispose();
  });

  test('the attention-output adapters act in the forward pass too, not only the FFN ones', () => {
    const model = tinyModel();
    const base = logitsOf(model);
    const { applied } = applyStrategy(model, 'adapter', {}, { seed: 3 });
    perturb(model, applied.addedParams.filter((n) => n.includes('.attention.output.adapter.up.')));
    expect(maxAbsDiff(logitsOf(model), base)).toBeGreaterThan(1e-3);
    model.dispose();
  });

  test('the activation option is the non-linearity between the down- and up-projection', () => {
    const outputs = ['relu', 'tanh'].map((activation) => {
      const model = tinyModel();
      const { applied } = applyStrategy(model, 'adapter', { activation, init_std: 1 }, { seed: 3 });
      perturb(model, applied.addedParams.filter((n) => n.includes('.up.')));
      const logits = logitsOf(model);
      model.dispose();
      return logits;
    });
    // Ignoring the option would give identical bits (same init, same perturbation).
    expect(maxAbsDiff(outputs[0]!, outputs[1]!)).toBeGreaterThan(1e-5);
  });

  test('the same seed gives the same adapter init', () => {
    const a = tinyModel();
    const b = tinyModel();
    applyStrategy(a, 'adapter', {}, { seed: 11 });
    applyStrategy(b, 'adapter', {}, { seed: 11 });
    const name = 'bert.encoder.layer.1.output.adapter.down.weight';
    expect(Array.from(a.params.get(name)!.dataSync())).toEqual(Array.from(b.params.get(name)!.dataSync()));
    a.dispose();
    b.dispose();
  });
});
