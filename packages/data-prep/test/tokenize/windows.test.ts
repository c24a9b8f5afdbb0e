import { describe, expect, test } from '@jest/globals';
import { choosePrimaryWindows, planWindows } from '../../src/tokenize/windows.ts';
import { seededRandom } from '@tunekit/pipeline/sdk';

describe('planWindows', () => {
  test('a sentence that fits is one window', () => {
    expect(planWindows([1, 2, 3], 6, 2)).toEqual([{ start: 0, end: 3 }]);
  });

  test('long sentences get word-aligned windows overlapping by at most `stride` sub-tokens', () => {
    // 8 words of 1 sub-token, capacity 4, stride 2: [0,4) [2,6) [4,8)
    expect(planWindows([1, 1, 1, 1, 1, 1, 1, 1], 4, 2)).toEqual([
      { start: 0, end: 4 },
      { start: 2, end: 6 },
      { start: 4, end: 8 },
    ]);
  });

  test('stride 0 gives disjoint windows', () => {
    expect(planWindows([2, 2, 2, 2], 4, 0)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
  });

  test('a word longer than a window gets its own window', () => {
    expect(planWindows([1, 1, 1, 100, 1], 10, 2)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 4 },
      { start: 4, end: 5 },
    ]);
  });

  test('windows never drop a word and every window adds a new word (300 random sentences)', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 300; trial++) {
      const counts = Array.from({ length: 1 + Math.floor(random() * 80) }, () => 1 + Math.floor(random() * (random() < 0.05 ? 40 : 4)));
      const capacity = 4 + Math.floor(random() * 30);
      const stride = Math.floor(random() * (capacity - 1));
      const windows = planWindows(counts, capacity, stride);
      const covered = new Set<number>();
      let lastEnd = 0;
      for (const window of windows) {
        expect(window.end).toBeGreaterThan(lastEnd);
        expect(window.start).toBeLessThanOrEqual(lastEnd);
        lastEnd = window.end;
        for (let w = window.start; w < window.end; w++) covered.add(w);
        const tokens = counts.slice(window.start, window.end).reduce((a, b) => a + b, 0);
        if (window.end - window.start > 1) expect(tokens).toBeLessThanOrEqual(capacity);
      }
      expect(covered.size).toBe(counts.length);
      const primary = choosePrimaryWindows(counts, windows, capacity);
      primary.forEach((w, word) => expect(windows[w]!.start <= word && word < windows[w]!.end).toBe(true));
    }
  });
});

describe('choosePrimaryWindows', () => {
  test('each word is predicted from the window where it has the most context', () => {
    const windows = planWindows([1, 1, 1, 1, 1, 1, 1, 1], 4, 2); // [0,4) [2,6) [4,8)
    expect(Array.from(choosePrimaryWindows([1, 1, 1, 1, 1, 1, 1, 1], windows, 4))).toEqual([0, 0, 0, 1, 1, 2, 2, 2]);
  });
});
