/**
 * Zero-shot labelling by nearest label prototype (NER here; sentence classification in
 * classify-sentences.ts uses the same prototypes and softmax). The pre-trained encoder is used as is (no task
 * training, no labelled example):
 * - a type's prototype = the mean last-layer vector of its description's sub-tokens, encoded alone
 *   (`[CLS] description [SEP]`);
 * - the "outside" prototype = the mean vector of all words of the evaluated text (unsupervised:
 *   what an ordinary word of this text looks like);
 * - each word (its primary sub-token, in context) takes the label whose prototype is nearest by
 *   cosine similarity; consecutive words of one type form one entity (B- then I-).
 * Confidence = softmax over the cosine similarities × `sharpness`.
 */

export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return v.map((x) => x / n);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function mean(vectors: readonly Float32Array[], size: number): Float32Array {
  const out = new Float32Array(size);
  for (const v of vectors) for (let i = 0; i < size; i++) out[i]! += v[i]!;
  return out.map((x) => x / Math.max(1, vectors.length));
}

/** Softmax over cosine(vector, prototype) × `sharpness`, one probability per prototype (prototypes normalised). */
export function prototypeProbabilities(vector: Float32Array, prototypes: readonly Float32Array[], sharpness: number): number[] {
  const v = normalise(vector);
  const sims = prototypes.map((p) => dot(v, p) * sharpness);
  const max = Math.max(...sims);
  const exp = sims.map((s) => Math.exp(s - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / sum);
}

/** Label per word (or sentence): index into `prototypes` (0 = outside for NER) and its softmax confidence. */
export function nearestPrototype(word: Float32Array, prototypes: readonly Float32Array[], sharpness: number): { index: number; confidence: number } {
  const probabilities = prototypeProbabilities(word, prototypes, sharpness);
  const confidence = Math.max(...probabilities);
  return { index: probabilities.indexOf(confidence), confidence };
}

/** Word type indices (0 = outside) → IOB2 tags: a run of one type is one entity. */
export function runsToIob2(indices: readonly number[], types: readonly string[]): string[] {
  return indices.map((index, i) => (index === 0 ? 'O' : `${i > 0 && indices[i - 1] === index ? 'I' : 'B'}-${types[index - 1]}`));
}
