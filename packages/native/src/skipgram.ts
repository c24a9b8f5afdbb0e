/**
 * The word2vec skip-gram kernels of `native/skipgram.c` (single-threaded, deterministic). All state
 * is in the caller's typed arrays, so training runs in chunks of corpus positions; the result does
 * not depend on the chunking. See packages/native/README.md.
 */

/** Bump whenever skipgram.c's numerics change: stages put it in their runtime fingerprint. */
export const SKIPGRAM_VERSION = '1';

export interface SkipgramKernels {
  /** syn0 (vocab×dim) ← uniform(−0.5, 0.5)/dim from word2vec's LCG at rng[0] (advanced), syn1 ← 0. */
  skipgramInit(syn0: Float32Array, syn1: Float32Array, dim: number, rng: BigUint64Array): void;
  /** word2vec's unigram^0.75 negative table over ids not excluded with count > 0 (any table length ≥ 1). */
  skipgramTable(counts: Int32Array, exclude: Uint8Array, table: Int32Array): void;
  /**
   * Train on centre positions [from, to) of `tokens` (ids, −1 between documents) in epoch `epoch`;
   * syn0, syn1 and rng[0] are updated in place. `wordsDone` counts in-vocabulary (not excluded)
   * tokens already read in all epochs, `totalWords` = epochs × their number (the linear learning-rate
   * decay); returns wordsDone after the chunk. Bad types throw TypeError, bad ranges RangeError.
   */
  skipgramTrain(
    tokens: Int32Array, counts: Int32Array, exclude: Uint8Array, table: Int32Array, syn0: Float32Array, syn1: Float32Array, rng: BigUint64Array,
    dim: number, window: number, negative: number, alpha: number, sample: number, seed: number, epoch: number, from: number, to: number,
    wordsDone: number, totalWords: number,
  ): number;
}
