import { describe, expect, it } from '@jest/globals';
import { decodeSentence, iob2Transitions } from '../../src/decoding/bio-viterbi.ts';

const labels = ['O', 'B-Disease', 'I-Disease', 'B-Chemical', 'I-Chemical'];
const K = labels.length;
const rows = (...r: number[][]) => Float64Array.from(r.flat());
const tags = (ids: Int32Array) => Array.from(ids, (id) => labels[id]);

/** Every sequence of length n over K labels (to check Viterbi against brute force). */
function* sequences(n: number, k: number): Generator<number[]> {
  if (n === 0) return yield [];
  for (const rest of sequences(n - 1, k)) for (let i = 0; i < k; i++) yield [...rest, i];
}

describe('IOB2 constrained decoding', () => {
  it('allows I-X only after B-X or I-X, and not at the start', () => {
    const allowed = iob2Transitions(labels)!;
    const ok = (from: string | null, to: string) => allowed[(from === null ? K : labels.indexOf(from)) * K + labels.indexOf(to)] === 1;
    expect(ok(null, 'I-Disease')).toBe(false);
    expect(ok(null, 'B-Disease')).toBe(true);
    expect(ok('O', 'I-Disease')).toBe(false);
    expect(ok('B-Disease', 'I-Disease')).toBe(true);
    expect(ok('I-Disease', 'I-Disease')).toBe(true);
    expect(ok('B-Chemical', 'I-Disease')).toBe(false);
    expect(ok('I-Disease', 'B-Chemical')).toBe(true);
    expect(ok('I-Disease', 'O')).toBe(true);
  });

  it('has nothing to constrain for non-IOB2 label sets', () => {
    expect(iob2Transitions(['negative', 'positive'])).toBeUndefined();
    expect(iob2Transitions(['O', 'B-X'])).toBeUndefined();
    expect(iob2Transitions(['O', 'S-X', 'E-X', 'I-X', 'B-X'])).toBeUndefined();
  });

  it('repairs what argmax gets wrong: O I-X becomes the better of B-X or O; a type switch inside an entity is resolved', () => {
    const allowed = iob2Transitions(labels)!;
    // argmax: O I-Disease — decoded: B-Disease I-Disease (0.4·0.7 beats 0.55·0.25 for O O).
    const p1 = rows([0.55, 0.4, 0.05, 0, 0], [0.25, 0.05, 0.7, 0, 0]);
    expect(tags(decodeSentence(p1, K, undefined))).toEqual(['O', 'I-Disease']);
    expect(tags(decodeSentence(p1, K, allowed))).toEqual(['B-Disease', 'I-Disease']);
    // argmax: B-Chemical I-Disease — decoded: B-Disease I-Disease.
    const p2 = rows([0.05, 0.4, 0, 0.55, 0], [0.1, 0, 0.8, 0, 0.1]);
    expect(tags(decodeSentence(p2, K, allowed))).toEqual(['B-Disease', 'I-Disease']);
  });

  it('equals the brute-force best allowed sequence on random distributions', () => {
    const allowed = iob2Transitions(labels)!;
    let s = 7;
    const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + (trial % 4);
      const p = new Float64Array(n * K);
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let k = 0; k < K; k++) sum += p[i * K + k] = random() ** 3;
        for (let k = 0; k < K; k++) p[i * K + k]! /= sum;
      }
      let best = -Infinity;
      let bestSeq: number[] = [];
      for (const seq of sequences(n, K)) {
        if (!seq.every((to, i) => allowed[(i === 0 ? K : seq[i - 1]!) * K + to])) continue;
        const score = seq.reduce((acc, k, i) => acc + Math.log(p[i * K + k]!), 0);
        if (score > best) [best, bestSeq] = [score, seq];
      }
      expect(Array.from(decodeSentence(p, K, allowed))).toEqual(bestSeq);
    }
  });

  it('decodes an empty sentence to nothing', () => {
    expect(decodeSentence(new Float64Array(0), K, iob2Transitions(labels))).toEqual(new Int32Array(0));
  });
});
