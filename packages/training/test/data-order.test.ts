import { describe, expect, test } from '@jest/globals';
import { epochBatches, evaluationBatches } from '../src/data/order.ts';

const lengths = Int32Array.from({ length: 103 }, (_, i) => 3 + ((i * 37) % 60));

describe('deterministic data order', () => {
  test('an epoch covers every row exactly once, in batches of the requested size (last one smaller)', () => {
    const batches = epochBatches(lengths, 8, 42, 0, true);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(batches.filter((b) => b.length !== 8)).toHaveLength(1);
  });

  test('same (seed, epoch) → same batches; another epoch or seed → another order', () => {
    expect(epochBatches(lengths, 8, 42, 1, true)).toEqual(epochBatches(lengths, 8, 42, 1, true));
    expect(epochBatches(lengths, 8, 42, 2, true)).not.toEqual(epochBatches(lengths, 8, 42, 1, true));
    expect(epochBatches(lengths, 8, 7, 1, true)).not.toEqual(epochBatches(lengths, 8, 42, 1, true));
  });

  test('group_by_length reduces padding: summed batch maxima shrink', () => {
    const padded = (batches: number[][]) => batches.reduce((sum, b) => sum + b.length * Math.max(...b.map((i) => lengths[i]!)), 0);
    expect(padded(epochBatches(lengths, 8, 42, 0, true))).toBeLessThan(padded(epochBatches(lengths, 8, 42, 0, false)) * 0.8);
  });

  test('evaluation batches are sorted by length, longest first', () => {
    const first = evaluationBatches(lengths, 10)[0]!;
    expect(first.map((i) => lengths[i])).toEqual([...first.map((i) => lengths[i]!)].sort((a, b) => b - a));
    expect(Math.max(...first.map((i) => lengths[i]!))).toBe(62);
  });
});
