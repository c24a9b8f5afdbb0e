/**
 * The `encoded-dataset` artifact as training and evaluation read it (`loadEncodedDataset(dir)`):
 * tokenized, aligned, windowed rows as flat typed arrays, plus what is needed to map sub-token
 * predictions back to exactly one prediction per original word.
 */

export type Task = 'token-classification' | 'sequence-classification';

export interface EncodedSplit {
  name: string;
  /** Rows (windows for token classification, sentences for sequence classification). */
  numRows: number;
  /** Padded row length (the `max_length` used). */
  seqLen: number;
  /** [numRows * seqLen] each, row-major. */
  inputIds: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
  /** Token classification: [numRows * seqLen], -100 where ignored. Sequence classification: [numRows]. */
  labels: Int32Array;
  /** Token classification only: [numRows * seqLen] index of the word within its sentence, -1 for special/pad tokens. */
  wordIds?: Int32Array;
  /** Token classification only: [numRows * seqLen] 1 where this position's prediction is THE prediction for its word (exactly one per word over all windows). */
  primary?: Uint8Array;
  /** Token classification only: [numRows] index of the sentence each row (window) comes from. */
  rowSentence?: Int32Array;
  /** The original examples of this split, in order (words + gold tags, or text + label). */
  examples: Array<{ tokens: string[]; tags: string[] } | { text: string; label: string }>;
}

export interface EncodedDataset {
  task: Task;
  /** Label names; label id = index. For token classification the IOB2 tags, `O` first. */
  labels: string[];
  splits: Record<string, EncodedSplit>;
}
