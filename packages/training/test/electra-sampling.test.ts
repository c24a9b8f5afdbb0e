/** ELECTRA's host-side pieces: sampling from the generator's logits, replaced-token labels, ROC AUC, the unigram baseline. */
import { describe, expect, test } from '@jest/globals';
import { sampleFromLogits, noiseUniform, replaceTokens, samplingNoise } from '../src/electra/sampling.ts';
import { rocAuc } from '../src/electra/held-out.ts';
import { unigramCounts, unigramCrossEntropy } from '../src/electra/unigram.ts';

describe('sampling from the generator', () => {
  test('inverse CDF: with equal logits a uniform u picks class floor(u · classes); a dominant logit is always picked', () => {
    const equal = new Float32Array(8); // 2 rows of 4 equal logits
    expect([...sampleFromLogits(equal, 4, Float64Array.from([0.1, 0.6]))]).toEqual([0, 2]);
    expect([...sampleFromLogits(equal, 4, Float64Array.from([0.26, 0.99]))]).toEqual([1, 3]);
    const dominant = Float32Array.from([0, 0, 40, 0]);
    for (const u of [1e-6, 0.5, 1 - 1e-6]) expect(sampleFromLogits(dominant, 4, Float64Array.from([u]))[0]).toBe(2);
  });

  test('samples follow the softmax: 20,000 draws of p = softmax([0, ln 3]) = (0.25, 0.75) give 0.25 ± 0.01', () => {
    const n = 20_000;
    const logits = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) logits[2 * i + 1] = Math.log(3);
    const noise = samplingNoise(n, 99);
    const samples = sampleFromLogits(logits, 2, Float64Array.from(noise, noiseUniform));
    const zeros = samples.filter((s) => s === 0).length / n;
    expect(Math.abs(zeros - 0.25)).toBeLessThan(0.01);
  });

  test('the noise is a function of its seed: the same seed repeats it bit for bit, another seed differs', () => {
    expect(samplingNoise(500, 7)).toEqual(samplingNoise(500, 7));
    expect(samplingNoise(500, 8)).not.toEqual(samplingNoise(500, 7));
    for (const v of samplingNoise(500, 7)) expect(noiseUniform(v)).toBeGreaterThan(0);
  });
});

describe('replaced-token labels', () => {
  // One row of 6: [CLS] a [MASK] c [MASK] [PAD]; positions 2 and 4 were masked (originals 11 and 13).
  const masked = Int32Array.from([2, 10, 4, 12, 4, 0]);
  const mlmLabels = Int32Array.from([-100, -100, 11, -100, 13, -100]);
  const attention = Int32Array.from([1, 1, 1, 1, 1, 0]);

  test('masked positions take the samples; a sample equal to the original is labelled original (0), another replaced (1); padding -100', () => {
    const { inputIds, labels } = replaceTokens(masked, mlmLabels, attention, Int32Array.from([2, 4]), Int32Array.from([11, 77]));
    expect([...inputIds]).toEqual([2, 10, 11, 12, 77, 0]);
    expect([...labels]).toEqual([0, 0, 0, 0, 1, -100]);
  });

  test('a masked position kept as the original by the 80/10/10 rule (input = original) still gets its sample', () => {
    const { inputIds, labels } = replaceTokens(Int32Array.from([2, 10, 11, 12, 4, 0]), mlmLabels, attention, Int32Array.from([2, 4]), Int32Array.from([50, 13]));
    expect([...inputIds]).toEqual([2, 10, 50, 12, 13, 0]);
    expect([...labels]).toEqual([0, 0, 1, 0, 0, -100]);
  });
});

describe('ROC AUC and the unigram baseline', () => {
  test('rocAuc: 1 when every replaced token scores above every original, 0 reversed, 0.5 for one tied score, NaN with one class', () => {
    const positive = Uint8Array.from([0, 0, 1, 1]);
    expect(rocAuc(Float64Array.from([0.1, 0.2, 0.8, 0.9]), positive)).toBe(1);
    expect(rocAuc(Float64Array.from([0.9, 0.8, 0.2, 0.1]), positive)).toBe(0);
    expect(rocAuc(Float64Array.from([0.5, 0.5, 0.5, 0.5]), positive)).toBe(0.5);
    expect(rocAuc(Float64Array.from([0.1, 0.4, 0.35, 0.8]), positive)).toBe(0.75);
    expect(rocAuc(Float64Array.from([0.1, 0.2]), Uint8Array.from([0, 0]))).toBeNaN();
  });

  test('unigram cross-entropy: add-one smoothed training frequencies of non-special, non-pad tokens at the masked positions', () => {
    // Vocabulary of 6; training tokens: [CLS]=2 5 5 5 4 [SEP]=3 [PAD]=0 → counts 5:3, 4:1 (total 4).
    const rows = { numRows: 1, seqLen: 7, inputIds: Int32Array.from([2, 5, 5, 5, 4, 3, 0]), attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1, 0]), tokenTypeIds: new Int32Array(7), labelsPerToken: true };
    const counts = unigramCounts(rows, 6, [0, 2, 3]);
    expect([...counts]).toEqual([0, 0, 0, 0, 1, 3]);
    const batch = { inputIds: new Int32Array(3), attentionMask: new Int32Array(3), tokenTypeIds: new Int32Array(3), length: 3, tokens: 3, labels: Int32Array.from([5, -100, 1]) };
    // p(5) = 4/10, p(1) = 1/10.
    expect(unigramCrossEntropy(counts, [batch])).toBeCloseTo(-(Math.log(0.4) + Math.log(0.1)) / 2, 12);
  });
});
