import { describe, expect, test } from '@jest/globals';
import { maskTokens } from '../src/mlm/masking.ts';
import type { HostBatch } from '../src/data/batch.ts';

const N = 20000;
const batch: HostBatch = {
  inputIds: Int32Array.from({ length: N }, (_, i) => (i % 100 === 0 ? 2 : i % 100 === 99 ? 3 : 10 + (i % 50))),
  attentionMask: Int32Array.from({ length: N }, (_, i) => (i >= N - 100 ? 0 : 1)),
  tokenTypeIds: new Int32Array(N),
  length: 100,
  tokens: N - 100,
};
const options = { probability: 0.15, maskId: 4, vocabSize: 120, specialIds: [0, 2, 3] };

describe('MLM masking (15% selected; 80% [MASK], 10% random, 10% kept)', () => {
  const masked = maskTokens(batch, options, 1234);
  const selected = [...masked.labels!.keys()].filter((i) => masked.labels![i] !== -100);

  test('selects about 15% of the ordinary tokens (±1 point on 19,404 tokens)', () => {
    expect(selected.length / 19404).toBeGreaterThan(0.14);
    expect(selected.length / 19404).toBeLessThan(0.16);
  });

  test('never selects [CLS], [SEP] or padding', () => {
    expect(selected.every((i) => ![2, 3].includes(batch.inputIds[i]!) && batch.attentionMask[i] === 1)).toBe(true);
  });

  test('labels hold the original ids; about 80% of the selected become [MASK], 10% stay unchanged', () => {
    expect(selected.every((i) => masked.labels![i] === batch.inputIds[i])).toBe(true);
    const toMask = selected.filter((i) => masked.inputIds[i] === 4).length / selected.length;
    const kept = selected.filter((i) => masked.inputIds[i] === batch.inputIds[i]).length / selected.length;
    expect(toMask).toBeGreaterThan(0.77);
    expect(toMask).toBeLessThan(0.83);
    // "kept" includes the random replacements that happen to draw the same id (1/120 of 10%).
    expect(kept).toBeGreaterThan(0.08);
    expect(kept).toBeLessThan(0.12);
  });

  test('unselected positions are untouched, and the same seed gives the same masks', () => {
    expect([...masked.inputIds.keys()].filter((i) => masked.labels![i] === -100).every((i) => masked.inputIds[i] === batch.inputIds[i])).toBe(true);
    expect(Array.from(maskTokens(batch, options, 1234).inputIds)).toEqual(Array.from(masked.inputIds));
    expect(Array.from(maskTokens(batch, options, 99).inputIds)).not.toEqual(Array.from(masked.inputIds));
  });
});
