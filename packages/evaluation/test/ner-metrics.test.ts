/**
 * Entity-level scores, with the numbers seqeval 1.2.2 gives (derived by hand from its rules:
 * set intersection of (sentence, type, start, end); 0/0 → 0; macro = mean over the union of gold
 * and predicted types; weighted by gold support).
 */
import { describe, expect, test } from '@jest/globals';
import { entityScores, nerMetrics, tokenAccuracy } from '../src/metrics/ner/index.ts';

describe('seqeval default mode', () => {
  // seqeval's own docstring example: f1_score = 0.50, accuracy_score = 0.80,
  // classification_report: MISC 0.00/0.00/0.00 (1), PER 1.00/1.00/1.00 (1), all averages 0.50.
  const gold = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
  const pred = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];

  test('docstring example: micro P = R = F1 = 0.5, accuracy 0.8', () => {
    const m = nerMetrics(gold, pred);
    expect(m.default.micro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(m.tokenAccuracy).toBeCloseTo(0.8, 12);
  });

  test('docstring example: per type and macro / weighted averages', () => {
    const m = entityScores(gold, pred, 'default');
    expect(m.perLabel).toEqual({
      MISC: { precision: 0, recall: 0, f1: 0, support: 1, predicted: 1, correct: 0 },
      PER: { precision: 1, recall: 1, f1: 1, support: 1, predicted: 1, correct: 1 },
    });
    expect(m.macro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(m.weighted).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  });

  test('I- without B- matching a gold B- I- entity is correct (F1 1.0)', () => {
    expect(entityScores([['B-PER', 'I-PER', 'O']], [['I-PER', 'I-PER', 'O']], 'default').micro.f1).toBe(1);
  });

  test('adjacent entities of different types: B-PER I-LOC equals gold B-PER B-LOC', () => {
    expect(entityScores([['B-PER', 'B-LOC']], [['B-PER', 'I-LOC']], 'default').micro.f1).toBe(1);
  });

  test('unequal supports: micro, macro and weighted differ as in seqeval', () => {
    // A: 1 correct of 1 predicted, 1 gold → 1/1/1. B: 1 of 1 predicted, 3 gold → P 1, R 1/3, F1 0.5.
    const m = entityScores([['B-A', 'O', 'B-B', 'O', 'B-B', 'O', 'B-B']], [['B-A', 'O', 'B-B', 'O', 'O', 'O', 'O']], 'default');
    expect(m.micro.precision).toBe(1);
    expect(m.micro.recall).toBe(0.5);
    expect(m.micro.f1).toBeCloseTo(2 / 3, 12);
    expect(m.macro.recall).toBeCloseTo(2 / 3, 12);
    expect(m.macro.f1).toBeCloseTo(0.75, 12);
    expect(m.weighted.precision).toBe(1);
    expect(m.weighted.recall).toBeCloseTo(0.5, 12);
    expect(m.weighted.f1).toBeCloseTo(0.625, 12);
  });

  test('empty predictions (all O) against gold entities: P = R = F1 = 0', () => {
    const m = entityScores([['B-X', 'I-X', 'O', 'B-Y']], [['O', 'O', 'O', 'O']], 'default');
    expect(m.micro).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(m.macro.f1).toBe(0);
    expect(m.perLabel.X).toEqual({ precision: 0, recall: 0, f1: 0, support: 1, predicted: 0, correct: 0 });
  });

  test('all-O gold with predicted entities: scores 0, predicted-only types listed with support 0', () => {
    const m = entityScores([['O', 'O', 'O']], [['B-X', 'O', 'I-Y']], 'default');
    expect(m.micro).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(Object.keys(m.perLabel)).toEqual(['X', 'Y']);
    expect(m.perLabel.Y).toEqual({ precision: 0, recall: 0, f1: 0, support: 0, predicted: 1, correct: 0 });
    expect(m.macro.f1).toBe(0);
    expect(m.weighted).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  test('all-O gold and all-O predictions: micro 0, macro NaN (numpy mean of no types), weighted 0', () => {
    const m = entityScores([['O', 'O']], [['O', 'O']], 'default');
    expect(m.micro.f1).toBe(0);
    expect(m.macro.f1).toBeNaN();
    expect(m.weighted.f1).toBe(0);
    expect(tokenAccuracy([['O', 'O']], [['O', 'O']])).toBe(1);
  });

  test('per-type rows are sorted by code point like Python sorted()', () => {
    const m = entityScores([['B-b', 'B-B', 'B-a']], [['B-b', 'B-B', 'B-a']], 'default');
    expect(Object.keys(m.perLabel)).toEqual(['B', 'a', 'b']);
  });

  test('sentences of different lengths are an error', () => {
    expect(() => entityScores([['O', 'O']], [['O']], 'default')).toThrow('sentence 0: gold has 2 tags but predictions have 1');
  });
});

describe('seqeval strict IOB2 mode', () => {
  test('I- without B- is not an entity: P 0 (no prediction), R 0, F1 0', () => {
    const m = entityScores([['B-PER', 'I-PER', 'O']], [['I-PER', 'I-PER', 'O']], 'strict');
    expect(m.micro).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });

  test('adjacent entities of different types: B-PER I-LOC finds PER only (P 1, R 0.5, F1 2/3)', () => {
    const m = entityScores([['B-PER', 'B-LOC']], [['B-PER', 'I-LOC']], 'strict');
    expect(m.micro.precision).toBe(1);
    expect(m.micro.recall).toBe(0.5);
    expect(m.micro.f1).toBeCloseTo(2 / 3, 12);
    expect(m.perLabel.LOC).toEqual({ precision: 0, recall: 0, f1: 0, support: 1, predicted: 0, correct: 0 });
    expect(m.macro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  });

  test('entity at sentence end followed by I-X in the next sentence: default counts both, strict one', () => {
    const gold = [['O', 'B-X', 'I-X'], ['B-X']];
    const pred = [['O', 'B-X', 'I-X'], ['I-X']];
    expect(entityScores(gold, pred, 'default').micro.f1).toBe(1);
    const strict = entityScores(gold, pred, 'strict').micro;
    expect([strict.precision, strict.recall]).toEqual([1, 0.5]);
  });

  test('nerMetrics reports strict as null when tags are not IOB2', () => {
    expect(nerMetrics([['S-X']], [['S-X']]).strict).toBeNull();
  });
});
