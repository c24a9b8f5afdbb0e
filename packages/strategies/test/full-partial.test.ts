import { beforeAll, describe, expect, test } from '@jest/globals';
import { applyStrategy, countParams } from '../src/index.ts';
import { tinyModel, useCpu } from './helpers/tiny-model.ts';

beforeAll(() => useCpu());

describe('full', () => {
  test('every parameter the token-classification model uses trains (the unused pooler does not)', () => {
    const model = tinyModel();
    applyStrategy(model, 'full', {}, { seed: 0 });
    expect([...model.params.keys()].filter((n) => !model.trainable.has(n))).toEqual([]);
    model.dispose();
  });

  test('logs trainable / total counts and the percentage', () => {
    const model = tinyModel();
    const lines: string[] = [];
    const { counts } = applyStrategy(model, 'full', {}, { seed: 0, log: (m) => lines.push(m) });
    expect(counts.trainable).toBe(counts.total);
    expect(lines).toEqual([`strategy full: trainable params: ${counts.total.toLocaleString('en-US')} || all params: ${counts.total.toLocaleString('en-US')} || trainable%: 100.0000`]);
    model.dispose();
  });
});

describe('partial', () => {
  test('default freezes the embeddings only', () => {
    const model = tinyModel();
    applyStrategy(model, 'partial', {}, { seed: 0 });
    const frozen = [...model.params.keys()].filter((n) => !model.trainable.has(n));
    expect(frozen.every((n) => n.startsWith('bert.embeddings.'))).toBe(true);
    expect(frozen).toHaveLength(5);
    model.dispose();
  });

  test('train_last_n_layers: 1 of 3 freezes layers 0 and 1, keeps layer 2 and the head trainable', () => {
    const model = tinyModel();
    applyStrategy(model, 'partial', { train_last_n_layers: 1 }, { seed: 0 });
    const trainable = [...model.trainable];
    expect(trainable.some((n) => n.startsWith('bert.encoder.layer.0.') || n.startsWith('bert.encoder.layer.1.'))).toBe(false);
    expect(trainable.filter((n) => n.startsWith('bert.encoder.layer.2.'))).toHaveLength(16);
    expect(model.trainable.has('classifier.weight') && model.trainable.has('classifier.bias')).toBe(true);
    model.dispose();
  });

  test('freeze_patterns match anywhere in the HF name; the head stays trainable even when matched', () => {
    const model = tinyModel();
    applyStrategy(model, 'partial', { freeze_patterns: ['attention\\.self\\.', '\\.bias$'], freeze_embeddings: false }, { seed: 0 });
    expect(model.trainable.has('bert.encoder.layer.1.attention.self.query.weight')).toBe(false);
    expect(model.trainable.has('bert.encoder.layer.1.attention.output.dense.weight')).toBe(true);
    expect(model.trainable.has('bert.encoder.layer.1.output.dense.bias')).toBe(false);
    expect(model.trainable.has('bert.embeddings.word_embeddings.weight')).toBe(true);
    expect(model.trainable.has('classifier.bias')).toBe(true);
    model.dispose();
  });

  test('an invalid regex names the entry', () => {
    const model = tinyModel();
    expect(() => applyStrategy(model, 'partial', { freeze_patterns: ['(query'] }, { seed: 0 })).toThrow('strategy "partial": freeze_patterns entry "(query" is not a valid regular expression');
    model.dispose();
  });

  test('counts match the frozen set', () => {
    const model = tinyModel();
    const { counts } = applyStrategy(model, 'partial', { train_last_n_layers: 0 }, { seed: 0 });
    // Only the classifier: 3 labels × 16 hidden + 3 biases.
    expect(counts.trainable).toBe(51);
    expect(counts.trainablePercent).toBeCloseTo((100 * 51) / countParams(model).total, 10);
    model.dispose();
  });
});
