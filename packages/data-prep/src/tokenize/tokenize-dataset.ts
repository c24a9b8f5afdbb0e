import type { EncodedDataset, EncodedSplit } from '../encoded/types.ts';
import type { TextExample, TokenExample, WordDataset } from '../dataset/types.ts';
import { encodeSequenceSplit } from './encode-sequence-classification.ts';
import { encodeTokenSplit } from './encode-token-classification.ts';
import type { LoadedTokenizer } from './load-tokenizer.ts';
import { WordPieces } from './word-pieces.ts';

export interface TokenizeOptions {
  maxLength: number;
  stride: number;
  labelAllSubtokens: boolean;
}

/** Encode every split of a word-level dataset with a loaded tokenizer. Pure apart from the native tokenizer calls. */
export async function tokenizeDataset(
  dataset: WordDataset,
  loaded: LoadedTokenizer,
  options: TokenizeOptions,
): Promise<{ encoded: EncodedDataset; stats: Record<string, Record<string, number>> }> {
  const splits: Record<string, EncodedSplit> = {};
  const stats: Record<string, Record<string, number>> = {};
  const pieces = new WordPieces(loaded.tokenizer, loaded.unkId);
  for (const [name, examples] of Object.entries(dataset.splits)) {
    const result =
      dataset.task === 'token-classification'
        ? await encodeTokenSplit(name, examples as TokenExample[], dataset.labels, pieces, loaded, options)
        : await encodeSequenceSplit(name, examples as TextExample[], dataset.labels, loaded.tokenizer, loaded, options.maxLength);
    splits[name] = result.split;
    stats[name] = { ...result.stats };
  }
  return { encoded: { task: dataset.task, labels: dataset.labels, splits }, stats };
}

/**
 * Encode unlabeled pre-split sentences (e.g. the words of a file given to `tunekit predict`) exactly
 * as `data-prep/tokenize` encodes a dataset: same windows and `primary` positions, labels all -100,
 * `examples[i].tags` empty. Map predictions back with `wordValues` / `primaryPositions`.
 */
export async function encodeSentences(
  sentences: string[][],
  loaded: LoadedTokenizer,
  options: { maxLength: number; stride: number },
  labels: string[] = [],
): Promise<EncodedSplit> {
  const pieces = new WordPieces(loaded.tokenizer, loaded.unkId);
  const stride = Math.min(options.stride, Math.floor((options.maxLength - 2) / 2));
  const { split } = await encodeTokenSplit('input', sentences.map((tokens) => ({ tokens })), labels, pieces, loaded, { maxLength: options.maxLength, stride, labelAllSubtokens: false });
  return split;
}
