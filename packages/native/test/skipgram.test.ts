/**
 * word2vec skip-gram kernels (native/skipgram.c): determinism (bit-identical reruns, independent of
 * chunking), seeds, word2vec's initialisation and negative table, document boundaries, excluded
 * ids, the expected geometry on a synthetic corpus, and every malformed call rejected untouched.
 */
import { describe, expect, it } from '@jest/globals';
import { loadSkipgram, nativeStatus, type SkipgramKernels } from '../src/index.ts';

// Skipped where the addon did not build, unless TUNEKIT_NATIVE=1 requires it (CI does).
const suite = nativeStatus().available || process.env.TUNEKIT_NATIVE === '1' ? describe : describe.skip;

function kernels(): SkipgramKernels {
  const k = loadSkipgram();
  if (!k) throw new Error(`skipgram kernels required but unavailable: ${JSON.stringify(nativeStatus())}`);
  return k;
}

const VOCAB = 60;
const DIM = 16;

/**
 * Documents of 20 triples "context centre context": centres 10 and 11 always between contexts
 * 20–24, centres 30 and 31 between 40–44; filler 50–59 between triples. Seeded LCG.
 */
function syntheticCorpus(documents = 300): Int32Array {
  let s = 7;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const ids: number[] = [];
  for (let d = 0; d < documents; d++) {
    if (d > 0) ids.push(-1);
    for (let i = 0; i < 20; i++) {
      const [centre, context] = rnd() < 0.5 ? [rnd() < 0.5 ? 10 : 11, 20] : [rnd() < 0.5 ? 30 : 31, 40];
      ids.push(context + Math.floor(rnd() * 5), centre, context + Math.floor(rnd() * 5), 50 + Math.floor(rnd() * 10));
    }
  }
  return Int32Array.from(ids);
}

function countsOf(tokens: Int32Array, vocab = VOCAB) {
  const counts = new Int32Array(vocab);
  for (const t of tokens) if (t >= 0) counts[t]!++;
  const exclude = Uint8Array.from(counts, (c) => (c === 0 ? 1 : 0));
  return { counts, exclude };
}

interface Run { syn0: Float32Array; syn1: Float32Array; rng: BigUint64Array; wordsDone: number }

function train(tokens: Int32Array, { seed = 1, epochs = 3, chunk = Infinity, sample = 1e-3, exclude: extra = [] as number[] } = {}): Run {
  const k = kernels();
  const { counts, exclude } = countsOf(tokens);
  for (const id of extra) exclude[id] = 1;
  const table = new Int32Array(10_000);
  k.skipgramTable(counts, exclude, table);
  const syn0 = new Float32Array(VOCAB * DIM);
  const syn1 = new Float32Array(VOCAB * DIM);
  const rng = new BigUint64Array([BigInt(seed)]);
  k.skipgramInit(syn0, syn1, DIM, rng);
  let trainWords = 0;
  for (const t of tokens) if (t >= 0 && !exclude[t]) trainWords++;
  let wordsDone = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let from = 0; from < tokens.length; from += Math.min(chunk, tokens.length)) {
      const to = Math.min(tokens.length, from + chunk);
      wordsDone = k.skipgramTrain(tokens, counts, exclude, table, syn0, syn1, rng, DIM, 5, 5, 0.025, sample, seed, epoch, from, to, wordsDone, epochs * trainWords);
    }
  }
  return { syn0, syn1, rng, wordsDone };
}

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const row = (m: Float32Array, id: number) => m.subarray(id * DIM, (id + 1) * DIM);

/** Cosine of rows a and b after subtracting the mean row of `ids` (the common direction all vectors share). */
function centredCosine(m: Float32Array, ids: number[], a: number, b: number): number {
  const mean = Array.from({ length: DIM }, (_, c) => ids.reduce((sum, id) => sum + m[id * DIM + c]!, 0) / ids.length);
  let [dot, na, nb] = [0, 0, 0];
  for (let c = 0; c < DIM; c++) {
    const [x, y] = [m[a * DIM + c]! - mean[c]!, m[b * DIM + c]! - mean[c]!];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

suite('skip-gram kernels (word2vec)', () => {
  const corpus = syntheticCorpus();

  it('two runs with the same inputs and seed give bit-identical vectors, rng state and word count', () => {
    const [a, b] = [train(corpus), train(corpus)];
    expect(bytes(a.syn0).equals(bytes(b.syn0))).toBe(true);
    expect(bytes(a.syn1).equals(bytes(b.syn1))).toBe(true);
    expect(a.rng[0]).toBe(b.rng[0]);
    expect(a.wordsDone).toBe(3 * (corpus.length - 299)); // every id of every epoch, the 299 document breaks excluded
  });

  it('the vectors do not depend on how the corpus is cut into chunks (1, 777 and all positions per call)', () => {
    const whole = train(corpus, { epochs: 1 });
    for (const chunk of [777, 1]) expect(bytes(train(corpus, { epochs: 1, chunk }).syn0).equals(bytes(whole.syn0))).toBe(true);
  });

  it('a different seed gives different vectors', () => {
    const [a, b] = [train(corpus, { seed: 1 }), train(corpus, { seed: 2 })];
    const differing = a.syn0.filter((v, i) => v !== b.syn0[i]).length;
    expect(differing).toBeGreaterThan(0.9 * a.syn0.length);
  });

  it('tokens that always share contexts end up closer than tokens with disjoint contexts', () => {
    const { syn0 } = train(corpus, { epochs: 5 });
    const ids = [10, 11, 20, 21, 22, 23, 24, 30, 31, 40, 41, 42, 43, 44, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59];
    const cosine = (a: number, b: number) => centredCosine(syn0, ids, a, b);
    const same = [cosine(10, 11), cosine(30, 31)];
    const different = [cosine(10, 30), cosine(10, 31), cosine(11, 30), cosine(11, 31)];
    expect(Math.min(...same)).toBeGreaterThan(Math.max(...different) + 0.3); // measured: 0.53, 0.93 vs at most 0.11
  });

  it('initialises like word2vec: syn0 = ((lcg & 0xFFFF)/65536 − 0.5)/dim from the seed, syn1 = 0', () => {
    const syn0 = new Float32Array(2 * DIM);
    const syn1 = new Float32Array(2 * DIM).fill(7);
    const rng = new BigUint64Array([1n]);
    kernels().skipgramInit(syn0, syn1, DIM, rng);
    let state = 1n;
    const expected = Array.from({ length: 2 * DIM }, () => {
      state = (state * 25214903917n + 11n) & 0xffffffffffffffffn;
      return Math.fround((Math.fround(Number(state & 0xffffn) / 65536) - 0.5) / DIM);
    });
    expect(Array.from(syn0)).toEqual(expected);
    expect(rng[0]).toBe(state);
    expect(syn1.every((v) => v === 0)).toBe(true);
  });

  it('the negative table follows count^0.75 over ids neither excluded nor unseen', () => {
    const counts = Int32Array.from([0, 16, 1, 81, 1000, 5]);
    const exclude = Uint8Array.from([0, 0, 0, 0, 1, 0]);
    const table = new Int32Array(100_000);
    kernels().skipgramTable(counts, exclude, table);
    const share = (id: number) => table.filter((t) => t === id).length / table.length;
    const total = 16 ** 0.75 + 1 + 81 ** 0.75 + 5 ** 0.75; // 8 + 1 + 27 + 3.34
    for (const id of [1, 2, 3, 5]) expect(Math.abs(share(id) - counts[id]! ** 0.75 / total)).toBeLessThan(1e-4);
    expect(share(0) + share(4)).toBe(0);
  });

  it('windows never cross a document break: one-token documents train nothing', () => {
    const tokens = Int32Array.from([5, -1, 6, -1, 5, -1, 6, -1, 7]);
    const { syn0 } = train(tokens, { epochs: 2, sample: 0 });
    const init = new Float32Array(VOCAB * DIM);
    kernels().skipgramInit(init, new Float32Array(VOCAB * DIM), DIM, new BigUint64Array([1n]));
    expect(bytes(syn0).equals(bytes(init))).toBe(true);
    // The same tokens without breaks do train.
    expect(bytes(train(Int32Array.from([5, 6, 5, 6, 7]), { epochs: 2, sample: 0 }).syn0).equals(bytes(init))).toBe(false);
  });

  it('excluded ids are neither trained nor drawn as negatives (their rows keep their initial values)', () => {
    const init = new Float32Array(VOCAB * DIM);
    const initOut = new Float32Array(VOCAB * DIM);
    kernels().skipgramInit(init, initOut, DIM, new BigUint64Array([1n]));
    const { syn0, syn1 } = train(corpus, { exclude: [20, 50] });
    for (const id of [20, 50]) {
      expect(Array.from(row(syn0, id))).toEqual(Array.from(row(init, id)));
      expect(row(syn1, id).every((v) => v === 0)).toBe(true);
    }
    expect(Array.from(row(syn0, 21))).not.toEqual(Array.from(row(init, 21)));
  });

  describe('malformed calls throw and write nothing', () => {
    const tokens = Int32Array.from([1, 2, 3, -1, 2, 3]);
    const good = () => {
      const counts = Int32Array.from([0, 1, 2, 2]);
      const exclude = Uint8Array.from([1, 0, 0, 0]);
      return { tokens, counts, exclude, table: Int32Array.from([1, 2, 3, 2]), syn0: new Float32Array(4 * 2).fill(0.25), syn1: new Float32Array(4 * 2).fill(0.5), rng: new BigUint64Array([3n]) };
    };
    type Args = ReturnType<typeof good>;
    const call = (edit: (a: Args) => Partial<Args> & { dim?: number; window?: number; negative?: number; alpha?: number; sample?: number; seed?: number; epoch?: number; from?: number; to?: number; wordsDone?: number; totalWords?: number } = () => ({})) => {
      const base = good();
      const a = { ...base, dim: 2, window: 2, negative: 2, alpha: 0.025, sample: 0, seed: 1, epoch: 0, from: 0, to: 6, wordsDone: 0, totalWords: 5, ...edit(base) };
      const before = [bytes(a.syn0).toString('hex'), bytes(a.syn1).toString('hex'), a.rng[0]];
      let error: unknown;
      try {
        (kernels().skipgramTrain as (...x: unknown[]) => number)(a.tokens, a.counts, a.exclude, a.table, a.syn0, a.syn1, a.rng, a.dim, a.window, a.negative, a.alpha, a.sample, a.seed, a.epoch, a.from, a.to, a.wordsDone, a.totalWords);
      } catch (e) {
        error = e;
      }
      if (error) expect([bytes(a.syn0).toString('hex'), bytes(a.syn1).toString('hex'), a.rng[0]]).toEqual(before);
      return error;
    };

    it('the well-formed call trains (the baseline the cases below break)', () => {
      expect(call()).toBeUndefined();
    });

    it.each([
      ['a token id ≥ vocab', () => ({ tokens: Int32Array.from([1, 2, 4, -1, 2, 3]) }), RangeError, /tokens holds an id outside/],
      ['a token id < −1', () => ({ tokens: Int32Array.from([1, 2, -2, -1, 2, 3]) }), RangeError, /tokens holds an id outside/],
      ['a table id ≥ vocab', () => ({ table: Int32Array.from([1, 9]) }), RangeError, /table holds an id outside/],
      ['an empty table', () => ({ table: new Int32Array(0) }), RangeError, /table must not be empty/],
      ['syn0 not vocab × dim', () => ({ syn0: new Float32Array(7) }), RangeError, /syn0 and syn1/],
      ['syn1 shorter than syn0', () => ({ syn1: new Float32Array(6) }), RangeError, /syn0 and syn1/],
      ['exclude of another length', () => ({ exclude: new Uint8Array(3) }), RangeError, /same length/],
      ['a negative count', () => ({ counts: Int32Array.from([0, -1, 2, 2]) }), RangeError, /non-negative/],
      ['an in-vocabulary token with count 0', () => ({ counts: Int32Array.from([0, 0, 2, 2]) }), RangeError, /count 0/],
      ['to past the end', () => ({ to: 7 }), RangeError, /\[from, to\)/],
      ['from after to', () => ({ from: 4, to: 3 }), RangeError, /\[from, to\)/],
      ['a negative from', () => ({ from: -1 }), RangeError, /\[from, to\)/],
      ['dim 0', () => ({ dim: 0 }), RangeError, /dim must be/],
      ['window 0', () => ({ window: 0 }), RangeError, /window must be/],
      ['negative 0', () => ({ negative: 0 }), RangeError, /negative must be/],
      ['alpha NaN', () => ({ alpha: Number.NaN }), RangeError, /alpha must be/],
      ['sample 1', () => ({ sample: 1 }), RangeError, /sample must be/],
      ['a seed ≥ 2^32', () => ({ seed: 2 ** 32 }), RangeError, /seed must be/],
      ['wordsDone > totalWords', () => ({ wordsDone: 6 }), RangeError, /wordsDone and totalWords/],
      ['tokens as a plain array', () => ({ tokens: [1, 2] as unknown as Int32Array }), TypeError, /tokens must be an Int32Array/],
      ['syn0 as a Float64Array', () => ({ syn0: new Float64Array(8) as unknown as Float32Array }), TypeError, /Float32Array/],
      ['rng of length 2', () => ({ rng: new BigUint64Array(2) }), TypeError, /rng must be a BigUint64Array of length 1/],
      ['rng as a Float64Array', () => ({ rng: new Float64Array(1) as unknown as BigUint64Array }), TypeError, /rng must be a BigUint64Array/],
      ['dim as a string', () => ({ dim: '2' as unknown as number }), TypeError, /must be numbers/],
    ] as const)('%s', (_name, edit, type, message) => {
      const error = call(edit as never);
      expect((error as Error).name).toBe(type.name); // the addon's errors come from another realm than jest's
      expect((error as Error).message).toMatch(message);
    });

    it('a wrong argument count, a table over excluded-only ids, and init with mismatched sizes', () => {
      const k = kernels() as unknown as Record<string, (...x: unknown[]) => unknown>;
      expect(() => k.skipgramTrain!(tokens)).toThrow(/skipgramTrain: expects 18 arguments/);
      expect(() => k.skipgramTable!(Int32Array.from([3, 0]), Uint8Array.from([1, 0]), new Int32Array(4))).toThrow(/no id left to sample/);
      expect(() => k.skipgramInit!(new Float32Array(6), new Float32Array(6), 4, new BigUint64Array(1))).toThrow(/skipgramInit: syn0 and syn1/);
      expect(() => k.skipgramInit!(new Float32Array(8), new Float32Array(4), 4, new BigUint64Array(1))).toThrow(/syn0 and syn1/);
    });
  });
});
