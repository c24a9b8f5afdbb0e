/**
 * Skip-gram with negative sampling over a corpus of token ids, on @tunekit/native's word2vec kernel
 * (`native/skipgram.c`: single-threaded and bit-for-bit deterministic). Trains in chunks of corpus
 * positions so the caller can report progress between them; the vectors do not depend on the chunk
 * size.
 */
import { loadSkipgram, nativeStatus, type SkipgramKernels } from '@tunekit/native';

export interface SkipgramOptions {
  dim: number;
  window: number;
  negative: number;
  epochs: number;
  alpha: number;
  sample: number;
  /** Ids seen fewer times are neither trained nor drawn as negatives. */
  minCount: number;
  /** Never trained nor drawn (special tokens). */
  excludeIds: number[];
  seed: number;
  /** Corpus positions per kernel call (progress granularity). */
  chunkTokens?: number;
  /** Length of the negative-sampling table (word2vec: 1e8; 1e7 resolves any count ≥ 1 of 10M tokens). */
  tableSize?: number;
}

export interface SkipgramResult {
  /** Input vectors, vocab × dim (rows of untrained ids are still their random initialisation). */
  vectors: Float32Array;
  counts: Int32Array;
  /** 1 where the id was trained (not excluded, count ≥ minCount). */
  trained: Uint8Array;
  /** In-vocabulary tokens read per epoch (word2vec's train_words). */
  trainWords: number;
  seconds: number;
}

export function skipgramKernels(): SkipgramKernels {
  const kernels = loadSkipgram();
  if (kernels) return kernels;
  const status = nativeStatus();
  throw new Error(`skip-gram needs @tunekit/native's skipgram kernel: ${status.available ? 'the addon was built before skipgram.c existed (npm run build:native -w @tunekit/native)' : status.reason}`);
}

export async function trainSkipgram(
  tokens: Int32Array,
  vocabSize: number,
  o: SkipgramOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<SkipgramResult> {
  const kernels = skipgramKernels();
  const counts = new Int32Array(vocabSize);
  for (const id of tokens) if (id >= 0) counts[id]!++;
  const exclude = new Uint8Array(vocabSize);
  for (let id = 0; id < vocabSize; id++) if (counts[id]! < Math.max(1, o.minCount)) exclude[id] = 1;
  for (const id of o.excludeIds) if (id >= 0 && id < vocabSize) exclude[id] = 1;
  let trainWords = 0;
  for (let id = 0; id < vocabSize; id++) if (!exclude[id]) trainWords += counts[id]!;
  if (trainWords === 0) throw new Error(`skip-gram: no token of the corpus is left to train on (min_count ${o.minCount})`);

  const vectors = new Float32Array(vocabSize * o.dim);
  const output = new Float32Array(vocabSize * o.dim);
  const rng = new BigUint64Array([BigInt(o.seed >>> 0)]);
  kernels.skipgramInit(vectors, output, o.dim, rng);
  const table = new Int32Array(o.tableSize ?? 10_000_000);
  kernels.skipgramTable(counts, exclude, table);

  const chunk = o.chunkTokens ?? 262_144;
  const total = o.epochs * tokens.length;
  const totalWords = o.epochs * trainWords;
  let wordsDone = 0;
  const started = performance.now();
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let from = 0; from < tokens.length; from += chunk) {
      const to = Math.min(tokens.length, from + chunk);
      wordsDone = kernels.skipgramTrain(tokens, counts, exclude, table, vectors, output, rng, o.dim, o.window, o.negative, o.alpha, o.sample, o.seed >>> 0, epoch, from, to, wordsDone, totalWords);
      onProgress?.(epoch * tokens.length + to, total);
      await new Promise((resolve) => setImmediate(resolve)); // let progress messages out
    }
  }
  return { vectors, counts, trained: exclude.map((e) => 1 - e), trainWords, seconds: (performance.now() - started) / 1000 };
}
