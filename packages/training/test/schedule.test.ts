import { describe, expect, test } from '@jest/globals';
import { learningRateAt, warmupSteps } from '../src/optim/schedule.ts';

const opts = (kind: 'linear' | 'cosine' | 'constant') => ({ kind, learningRate: 1e-3, warmupSteps: 4, totalSteps: 12 });

describe('learning-rate schedules (HF semantics, step k uses lr·λ(k))', () => {
  test('warmup rises linearly from 0 for every kind', () => {
    for (const kind of ['linear', 'cosine', 'constant'] as const) {
      expect([0, 1, 2, 3].map((k) => learningRateAt(k, opts(kind)))).toEqual([0, 2.5e-4, 5e-4, 7.5e-4]);
    }
  });

  test('linear decays to 0 at the last step', () => {
    expect([4, 6, 8, 12].map((k) => learningRateAt(k, opts('linear')))).toEqual([1e-3, 7.5e-4, 5e-4, 0]);
  });

  test('cosine follows 0.5·(1 + cos(π·progress))', () => {
    expect(learningRateAt(4, opts('cosine'))).toBeCloseTo(1e-3, 15);
    expect(learningRateAt(8, opts('cosine'))).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(10, opts('cosine'))).toBeCloseTo(1e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.75)), 15);
    expect(learningRateAt(12, opts('cosine'))).toBeCloseTo(0, 15);
  });

  test('constant stays at the peak after warmup', () => {
    expect(learningRateAt(11, opts('constant'))).toBe(1e-3);
  });

  test('warmup_ratio wins over warmup_steps and rounds up', () => {
    expect(warmupSteps(105, 3, 0.1)).toBe(11);
    expect(warmupSteps(105, 3, 0)).toBe(3);
  });
});
