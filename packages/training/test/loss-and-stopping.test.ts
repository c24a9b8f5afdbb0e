import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { initialEarlyStopping, recordEvaluation, shouldStop } from '../src/loop/early-stopping.ts';
import { maskedCrossEntropy } from '../src/loop/loss.ts';
import { clipGradients } from '../src/optim/clip.ts';
import { useCpu } from './helpers/backend.ts';

beforeAll(() => useCpu());

describe('maskedCrossEntropy (PyTorch CrossEntropyLoss, ignore_index -100)', () => {
  test('averages −log softmax over positions whose label is not -100', () => {
    const logits = tf.tensor3d([[[2, 0, 0], [0, 1, 0], [5, 5, 5]]]);
    const labels = tf.tensor2d([[0, 2, -100]], undefined, 'int32');
    const expected = (-Math.log(Math.exp(2) / (Math.exp(2) + 2)) - Math.log(1 / (2 + Math.E))) / 2;
    expect(maskedCrossEntropy(logits, labels).dataSync()[0]).toBeCloseTo(expected, 6);
  });

  test('is 0 (not NaN) when every label is ignored', () => {
    expect(Math.abs(maskedCrossEntropy(tf.zeros([1, 2, 3]), tf.tensor2d([[-100, -100]], undefined, 'int32')).dataSync()[0]!)).toBe(0);
  });
});

describe('global-norm clipping', () => {
  test('scales by max_norm / (norm + 1e-6) when the norm exceeds max_norm, and returns the pre-clip norm', () => {
    const grads = new Map<string, tf.Tensor>([['a', tf.tensor1d([3, 0])], ['b', tf.tensor1d([0, 4])]]);
    expect(clipGradients(grads, 1)).toBeCloseTo(5, 6);
    expect(Array.from(grads.get('a')!.dataSync())[0]).toBeCloseTo(3 / (5 + 1e-6), 6);
    expect(Array.from(grads.get('b')!.dataSync())[1]).toBeCloseTo(4 / (5 + 1e-6), 6);
  });

  test('leaves gradients alone under the limit or with max_norm 0', () => {
    const a = tf.tensor1d([0.3, 0.4]);
    const grads = new Map<string, tf.Tensor>([['a', a]]);
    expect(clipGradients(grads, 0)).toBeCloseTo(0.5, 6);
    expect(grads.get('a')).toBe(a);
  });
});

describe('early stopping', () => {
  test('stops after `patience` evaluations without an improvement larger than the threshold', () => {
    const state = initialEarlyStopping();
    expect(recordEvaluation(state, 0.5, 10, 'max', 0.01)).toBe(true);
    expect(recordEvaluation(state, 0.505, 20, 'max', 0.01)).toBe(false);
    expect(shouldStop(state, 2)).toBe(false);
    expect(recordEvaluation(state, 0.6, 30, 'max', 0.01)).toBe(true);
    expect(recordEvaluation(state, 0.59, 40, 'max', 0.01)).toBe(false);
    expect(recordEvaluation(state, 0.58, 50, 'max', 0.01)).toBe(false);
    expect(shouldStop(state, 2)).toBe(true);
    expect(state).toEqual({ bestValue: 0.6, bestStep: 30, badEvaluations: 2 });
  });

  test('min mode: a lower loss is better', () => {
    const state = initialEarlyStopping();
    recordEvaluation(state, 1.2, 1, 'min', 0);
    expect(recordEvaluation(state, 1.1, 2, 'min', 0)).toBe(true);
    expect(recordEvaluation(state, 1.15, 3, 'min', 0)).toBe(false);
  });
});
