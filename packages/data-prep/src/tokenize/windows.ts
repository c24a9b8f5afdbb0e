/**
 * Sliding windows over a sentence's words so that no word is ever dropped.
 *
 * Windows are aligned to word boundaries: a window holds whole words while their sub-tokens fit in
 * `capacity` (= max_length - 2 for [CLS]/[SEP]); the next window starts at the earliest word such
 * that the overlap with the previous window is at most `stride` sub-tokens, and only if the next
 * window then reaches past the previous one (so every window adds at least one new word). A single word longer than `capacity` gets a window of its own holding its
 * first `capacity` sub-tokens (its first sub-token, which carries its label, is always kept).
 */
export interface WordWindow {
  /** First word (inclusive). */
  start: number;
  /** Last word (exclusive). */
  end: number;
}

export function planWindows(tokenCounts: ArrayLike<number>, capacity: number, stride: number): WordWindow[] {
  const n = tokenCounts.length;
  if (n === 0) return [{ start: 0, end: 0 }];
  const windows: WordWindow[] = [];
  let start = 0;
  for (;;) {
    let end = start;
    let used = 0;
    while (end < n && used + tokenCounts[end]! <= capacity) used += tokenCounts[end++]!;
    if (end === start) end = start + 1;
    windows.push({ start, end });
    if (end >= n) return windows;
    let next = end;
    let overlap = 0;
    // Overlap only with words that still leave room for the next new word (else the window would not advance).
    while (next - 1 > start && overlap + tokenCounts[next - 1]! <= stride && overlap + tokenCounts[next - 1]! + tokenCounts[end]! <= capacity) {
      overlap += tokenCounts[--next]!;
    }
    start = next;
  }
}

/**
 * For each word, the window in which its prediction counts: among the windows holding its first
 * sub-token, the one where that sub-token has the most context (max of min(tokens before, tokens
 * after) within the window); ties go to the earlier window.
 */
export function choosePrimaryWindows(tokenCounts: ArrayLike<number>, windows: WordWindow[], capacity: number): Int32Array {
  const best = new Int32Array(tokenCounts.length).fill(-1);
  const bestScore = new Float64Array(tokenCounts.length).fill(-1);
  windows.forEach((window, w) => {
    let length = 0;
    for (let i = window.start; i < window.end; i++) length += tokenCounts[i]!;
    length = Math.min(length, capacity);
    let position = 0;
    for (let i = window.start; i < window.end; i++) {
      const score = Math.min(position, length - 1 - position);
      if (score > bestScore[i]!) {
        bestScore[i] = score;
        best[i] = w;
      }
      position += tokenCounts[i]!;
    }
  });
  return best;
}
