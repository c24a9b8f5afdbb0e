import type { Task } from './types.ts';

/** Element types of the `.bin` files (always little-endian). */
export type BinaryDtype = 'int32' | 'int16' | 'uint16' | 'uint8';

export interface BinaryArrayEntry {
  file: string;
  dtype: BinaryDtype;
  length: number;
}

/** Array names as in `EncodedSplit`. */
export type EncodedArrayName = 'inputIds' | 'attentionMask' | 'tokenTypeIds' | 'labels' | 'wordIds' | 'primary' | 'rowSentence';

export interface EncodedSplitManifest {
  numRows: number;
  seqLen: number;
  numExamples: number;
  arrays: Partial<Record<EncodedArrayName, BinaryArrayEntry>>;
  /** JSONL, one original example per line, in order. */
  examples: string;
  stats: Record<string, number>;
}

/** How the rows were made (written by the tokenize stage). */
export interface EncodedDatasetMeta {
  maxLength: number;
  /** Token classification only. */
  stride?: number;
  labelAllSubtokens?: boolean;
  tokenizer: { source: string; vocabSize: number; clsId: number; sepId: number; padId: number; unkId: number; lowercase: boolean | null };
}

/** `manifest.json` of an `encoded-dataset` artifact. */
export interface EncodedDatasetManifest extends EncodedDatasetMeta {
  kind: 'encoded-dataset';
  schemaVersion: 1;
  task: Task;
  labels: string[];
  byteOrder: 'little-endian';
  splits: Record<string, EncodedSplitManifest>;
  [field: string]: unknown;
}
