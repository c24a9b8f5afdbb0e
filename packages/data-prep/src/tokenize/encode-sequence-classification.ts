import type { EncodedSplit } from '../encoded/types.ts';
import type { TextExample } from '../dataset/types.ts';
import type { Tokenizer } from 'tokenizers';
import type { SpecialIds } from './encode-token-classification.ts';

export interface SequenceEncodingStats {
  examples: number;
  /** Texts longer than max_length - 2 sub-tokens, cut at the end. */
  truncatedRows: number;
}

/** Texts → `[CLS] sub-tokens [SEP] [PAD]…` rows truncated to `maxLength`, one label id per row. */
export async function encodeSequenceSplit(
  name: string,
  examples: TextExample[],
  labels: string[],
  tokenizer: Tokenizer,
  special: SpecialIds,
  maxLength: number,
): Promise<{ split: EncodedSplit; stats: SequenceEncodingStats }> {
  const labelId = new Map(labels.map((label, i) => [label, i]));
  const encodings = examples.length ? await tokenizer.encodeBatch(examples.map((example) => example.text), { addSpecialTokens: false }) : [];
  const rows = examples.length;
  const L = maxLength;
  const inputIds = new Int32Array(rows * L).fill(special.padId);
  const attentionMask = new Int32Array(rows * L);
  const tokenTypeIds = new Int32Array(rows * L);
  const rowLabels = new Int32Array(rows);
  const stats: SequenceEncodingStats = { examples: rows, truncatedRows: 0 };
  encodings.forEach((encoding, row) => {
    const ids = encoding.getIds();
    const take = Math.min(ids.length, L - 2);
    if (take < ids.length) stats.truncatedRows++;
    const base = row * L;
    inputIds[base] = special.clsId;
    for (let k = 0; k < take; k++) inputIds[base + 1 + k] = ids[k]!;
    inputIds[base + 1 + take] = special.sepId;
    attentionMask.fill(1, base, base + take + 2);
    const label = labelId.get(examples[row]!.label);
    if (label === undefined) throw new Error(`encodeSequenceSplit(${name}): label "${examples[row]!.label}" of row ${row} is not in the label set`);
    rowLabels[row] = label;
  });
  const split: EncodedSplit = {
    name,
    numRows: rows,
    seqLen: L,
    inputIds,
    attentionMask,
    tokenTypeIds,
    labels: rowLabels,
    examples: examples.map((example) => ({ text: example.text, label: example.label })),
  };
  return { split, stats };
}
