import type { EncodedSplit } from '../encoded/types.ts';
import type { TokenExample } from '../dataset/types.ts';
import { choosePrimaryWindows, planWindows, type WordWindow } from './windows.ts';
import type { WordPieces } from './word-pieces.ts';

export const IGNORE_INDEX = -100;

export interface SpecialIds {
  clsId: number;
  sepId: number;
  padId: number;
}

export interface TokenEncodingOptions {
  maxLength: number;
  /** Max sub-tokens shared by consecutive windows of a long sentence. */
  stride: number;
  /** Label every sub-token of a word (B-X words give I-X to their later sub-tokens) instead of only the first. */
  labelAllSubtokens: boolean;
}

/** Words without gold tags (e.g. `tunekit predict` input): every label is -100. */
export interface UnlabeledSentence {
  tokens: string[];
  tags?: undefined;
}

export interface TokenEncodingStats {
  sentences: number;
  words: number;
  rows: number;
  /** Sentences that needed more than one window. */
  windowedSentences: number;
  /** Sub-tokens cut from single words longer than a window (their first sub-token is always kept). */
  truncatedSubtokens: number;
}

/**
 * Word-level sentences → rows of `[CLS] sub-tokens [SEP] [PAD]…` with first-sub-token labels,
 * word ids, and `primary` flags marking exactly one position per original word.
 */
export async function encodeTokenSplit(
  name: string,
  examples: Array<TokenExample | UnlabeledSentence>,
  labels: string[],
  pieces: WordPieces,
  special: SpecialIds,
  options: TokenEncodingOptions,
): Promise<{ split: EncodedSplit; stats: TokenEncodingStats }> {
  const capacity = options.maxLength - 2;
  const labelId = new Map(labels.map((label, i) => [label, i]));
  const continuation = labels.map((label) => (label.startsWith('B-') && labelId.has(`I-${label.slice(2)}`) ? labelId.get(`I-${label.slice(2)}`)! : labelId.get(label)!));
  await pieces.prepare(examples.flatMap((example) => example.tokens));

  const plans: Array<{ counts: Int32Array; windows: WordWindow[]; primary: Int32Array }> = [];
  let rows = 0;
  for (const example of examples) {
    const counts = Int32Array.from(example.tokens, (word) => pieces.get(word).length);
    const windows = planWindows(counts, capacity, options.stride);
    plans.push({ counts, windows, primary: choosePrimaryWindows(counts, windows, capacity) });
    rows += windows.length;
  }

  const L = options.maxLength;
  const inputIds = new Int32Array(rows * L).fill(special.padId);
  const attentionMask = new Int32Array(rows * L);
  const tokenTypeIds = new Int32Array(rows * L);
  const rowLabels = new Int32Array(rows * L).fill(IGNORE_INDEX);
  const wordIds = new Int32Array(rows * L).fill(-1);
  const primary = new Uint8Array(rows * L);
  const rowSentence = new Int32Array(rows);
  const stats: TokenEncodingStats = { sentences: examples.length, words: 0, rows, windowedSentences: 0, truncatedSubtokens: 0 };

  let row = 0;
  examples.forEach((example, sentence) => {
    const { windows, primary: primaryWindow } = plans[sentence]!;
    stats.words += example.tokens.length;
    if (windows.length > 1) stats.windowedSentences++;
    windows.forEach((window, w) => {
      const base = row * L;
      rowSentence[row] = sentence;
      inputIds[base] = special.clsId;
      let p = 1;
      for (let word = window.start; word < window.end; word++) {
        const ids = pieces.get(example.tokens[word]!);
        const tag = example.tags ? labelId.get(example.tags[word]!) : IGNORE_INDEX;
        if (tag === undefined) throw new Error(`encodeTokenSplit(${name}): tag "${example.tags![word]}" of sentence ${sentence} is not in the label set`);
        const take = Math.min(ids.length, capacity - (p - 1));
        stats.truncatedSubtokens += ids.length - take;
        for (let k = 0; k < take; k++, p++) {
          inputIds[base + p] = ids[k]!;
          wordIds[base + p] = word;
          if (k === 0) {
            rowLabels[base + p] = tag;
            if (primaryWindow[word] === w) primary[base + p] = 1;
          } else if (options.labelAllSubtokens && tag !== IGNORE_INDEX) rowLabels[base + p] = continuation[tag]!;
        }
      }
      inputIds[base + p] = special.sepId;
      attentionMask.fill(1, base, base + p + 1);
      row++;
    });
  });

  const split: EncodedSplit = {
    name,
    numRows: rows,
    seqLen: L,
    inputIds,
    attentionMask,
    tokenTypeIds,
    labels: rowLabels,
    wordIds,
    primary,
    rowSentence,
    examples: examples.map((example) => ({ tokens: example.tokens, tags: example.tags ?? [] })),
  };
  return { split, stats };
}
