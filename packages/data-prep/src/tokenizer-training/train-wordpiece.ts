import { PairHeap } from './pair-heap.ts';

/**
 * WordPiece vocabulary training, the algorithm of Hugging Face's `WordPieceTrainer` (which is its
 * BPE trainer with the `##` continuing-subword prefix): start from the characters of the corpus
 * words (`c` at word start, `##c` inside), repeatedly merge the most frequent adjacent pair into a
 * new token (`a` + `##b` → `ab`), until the vocabulary has `vocabSize` tokens or the best pair
 * occurs fewer than `minFrequency` times.
 *
 * Hand-written because the Node binding of `tokenizers` (0.23.2) exposes only `Tokenizer.train(files)`
 * with the model's default trainer: vocab size, minimum frequency and special tokens cannot be set,
 * and its result differs from process to process (hash-map iteration order decides ties; measured:
 * the 8,000-token prefix of two runs on the same files differs by 2–4 tokens). The content-addressed
 * cache and `tunekit rerun` need identical bytes for identical inputs, so ties are broken here by
 * token ids, which are assigned in a fixed order (specials, sorted characters, sorted `##` characters,
 * then merges in order).
 */
export interface WordPieceTrainingOptions {
  vocabSize: number;
  minFrequency: number;
  specialTokens: string[];
  /** Called every 100 merges. */
  onProgress?: (vocabSize: number) => void;
}

export interface WordPieceTrainingResult {
  /** Tokens in id order. */
  vocab: string[];
  /** Merges done, with the pair count at the time (non-increasing). */
  merges: number;
  /** Why training stopped. */
  stoppedBy: 'vocab_size' | 'min_frequency' | 'no_pairs';
}

const PREFIX = '##';
const key = (left: number, right: number) => left * 0x200000 + right;

export function trainWordPiece(wordCounts: Map<string, number>, options: WordPieceTrainingOptions): WordPieceTrainingResult {
  const vocab: string[] = [];
  const ids = new Map<string, number>();
  const add = (token: string) => {
    let id = ids.get(token);
    if (id === undefined) {
      id = vocab.length;
      vocab.push(token);
      ids.set(token, id);
    }
    return id;
  };
  for (const token of options.specialTokens) add(token);

  const words = [...wordCounts.keys()].sort();
  const initial = new Set<string>();
  const continuation = new Set<string>();
  for (const word of words) {
    const chars = [...word];
    chars.forEach((c, i) => (i === 0 ? initial : continuation).add(c));
  }
  const byCodePoint = (a: string, b: string) => a.codePointAt(0)! - b.codePointAt(0)!;
  for (const c of [...initial].sort(byCodePoint)) add(c);
  for (const c of [...continuation].sort(byCodePoint)) add(PREFIX + c);

  const counts = words.map((word) => wordCounts.get(word)!);
  const symbols: number[][] = words.map((word) => [...word].map((c, i) => ids.get(i === 0 ? c : PREFIX + c)!));
  const pairCounts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const heap = new PairHeap();
  const bump = (left: number, right: number, delta: number, word: number) => {
    const k = key(left, right);
    const count = (pairCounts.get(k) ?? 0) + delta;
    pairCounts.set(k, count);
    if (delta > 0) {
      let set = where.get(k);
      if (!set) where.set(k, (set = new Set()));
      set.add(word);
    }
    return k;
  };
  symbols.forEach((s, w) => {
    for (let i = 0; i + 1 < s.length; i++) bump(s[i]!, s[i + 1]!, counts[w]!, w);
  });
  for (const [k, count] of pairCounts) heap.push(count, Math.floor(k / 0x200000), k % 0x200000);

  let merges = 0;
  let stoppedBy: WordPieceTrainingResult['stoppedBy'] = 'no_pairs';
  while (vocab.length < options.vocabSize) {
    const top = heap.pop();
    if (!top) break;
    const [count, left, right] = top;
    const k = key(left, right);
    if (pairCounts.get(k) !== count || count <= 0) continue; // stale entry
    if (count < options.minFrequency) {
      stoppedBy = 'min_frequency';
      break;
    }
    const merged = add(vocab[left]! + vocab[right]!.slice(PREFIX.length));
    merges++;
    if (merges % 100 === 0) options.onProgress?.(vocab.length);
    const changed = new Set<number>();
    for (const w of [...where.get(k)!].sort((a, b) => a - b)) {
      const s = symbols[w]!;
      const c = counts[w]!;
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] !== left || s[i + 1] !== right) continue;
        if (i > 0) {
          changed.add(bump(s[i - 1]!, left, -c, w));
          changed.add(bump(s[i - 1]!, merged, c, w));
        }
        if (i + 2 < s.length) {
          changed.add(bump(right, s[i + 2]!, -c, w));
          changed.add(bump(merged, s[i + 2]!, c, w));
        }
        bump(left, right, -c, w);
        s.splice(i, 2, merged);
      }
    }
    where.delete(k);
    pairCounts.delete(k);
    for (const changedKey of changed) {
      const current = pairCounts.get(changedKey);
      if (current !== undefined && current > 0) heap.push(current, Math.floor(changedKey / 0x200000), changedKey % 0x200000);
    }
  }
  if (vocab.length >= options.vocabSize) stoppedBy = 'vocab_size';
  return { vocab, merges, stoppedBy };
}
