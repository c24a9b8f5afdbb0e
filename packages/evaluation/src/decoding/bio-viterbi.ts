/**
 * Constrained decoding of word-level label distributions into a valid IOB2 sequence: the most
 * probable tag sequence (sum of log-probabilities, Viterbi) among those where every `I-X` follows a
 * `B-X` or `I-X`. Per-word argmax can emit `O I-Disease` or `B-Chemical I-Disease`, which seqeval's
 * default mode reads as extra, truncated entities (false positives and false negatives at once);
 * decoding under the IOB2 grammar is what a CRF layer's decoder does, here without learned
 * transition scores (all allowed transitions score 0).
 */

export const DECODINGS = ['viterbi', 'argmax'] as const;
export type Decoding = (typeof DECODINGS)[number];

/**
 * `allowed[from * K + to]` for the label set, or undefined when the labels are not an IOB2 set
 * (`O`, `B-<type>`, `I-<type>` only, e.g. classification labels): then there is nothing to constrain.
 * Row `K` (one past the labels) holds the transitions allowed at the start of a sentence.
 */
export function iob2Transitions(labels: readonly string[]): Uint8Array | undefined {
  const parsed = labels.map((label) => (label === 'O' ? { prefix: 'O', type: '' } : /^([BI])-(.+)$/.exec(label) ? { prefix: label[0]!, type: label.slice(2) } : undefined));
  if (parsed.some((p) => p === undefined) || !parsed.some((p) => p!.prefix === 'I')) return undefined;
  const K = labels.length;
  const allowed = new Uint8Array((K + 1) * K);
  for (let to = 0; to < K; to++) {
    const target = parsed[to]!;
    allowed[K * K + to] = target.prefix === 'I' ? 0 : 1;
    for (let from = 0; from < K; from++) {
      const source = parsed[from]!;
      allowed[from * K + to] = target.prefix !== 'I' || (source.prefix !== 'O' && source.type === target.type) ? 1 : 0;
    }
  }
  return allowed;
}

/**
 * The label ids of the best allowed sequence for one sentence. `probabilities` is [n × K] (rows sum
 * to 1). Ties go to the lower label id, so the result is deterministic. Without constraints (or
 * `decoding: argmax`) this is the per-word argmax.
 */
export function decodeSentence(probabilities: ArrayLike<number>, K: number, allowed: Uint8Array | undefined): Int32Array {
  const n = probabilities.length / K;
  const out = new Int32Array(n);
  if (n === 0) return out;
  if (!allowed) {
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (probabilities[i * K + k]! > probabilities[i * K + best]!) best = k;
      out[i] = best;
    }
    return out;
  }
  const logp = (i: number, k: number) => Math.log(Math.max(probabilities[i * K + k]!, 1e-300));
  let score = new Float64Array(K);
  let next = new Float64Array(K);
  const back = new Int32Array(n * K);
  for (let k = 0; k < K; k++) score[k] = allowed[K * K + k] ? logp(0, k) : -Infinity;
  for (let i = 1; i < n; i++) {
    for (let to = 0; to < K; to++) {
      let best = -Infinity;
      let arg = 0;
      for (let from = 0; from < K; from++) {
        if (!allowed[from * K + to]) continue;
        if (score[from]! > best) {
          best = score[from]!;
          arg = from;
        }
      }
      next[to] = best + logp(i, to);
      back[i * K + to] = arg;
    }
    [score, next] = [next, score];
  }
  let last = 0;
  for (let k = 1; k < K; k++) if (score[k]! > score[last]!) last = k;
  out[n - 1] = last;
  for (let i = n - 1; i > 0; i--) out[i - 1] = back[i * K + out[i]!]!;
  return out;
}
