/**
 * The word-level `dataset` artifact (what the readers write and `data-prep/tokenize` /
 * `data-prep/few-shot` read). Layout: `manifest.json` + one `<split>.jsonl` per split, one example
 * per line, in a stable order.
 */

export interface TokenExample {
  tokens: string[];
  /** IOB2 tags, one per token. */
  tags: string[];
}

export interface TextExample {
  text: string;
  label: string;
}

export type DatasetTask = 'token-classification' | 'sequence-classification';

export interface SplitSummary {
  file: string;
  examples: number;
  /** Token classification: total tokens and entity mentions per type. */
  tokens?: number;
  mentions?: Record<string, number>;
  /** Sequence classification: examples per label. */
  labelCounts?: Record<string, number>;
}

export interface DatasetManifest {
  kind: 'dataset';
  schemaVersion: 1;
  task: DatasetTask;
  /** Token classification: IOB2 tags, `O` first, then B-/I- per entity type (types sorted). Sequence classification: class names. */
  labels: string[];
  /** Token classification only: always `IOB2` after reading. */
  tagScheme?: 'IOB2';
  splits: Record<string, SplitSummary>;
  /** Free-form provenance: reader, params that shaped the data, repairs / skips. */
  provenance: Record<string, unknown>;
  [field: string]: unknown;
}

export type TokenDataset = { task: 'token-classification'; labels: string[]; splits: Record<string, TokenExample[]> };
export type TextDataset = { task: 'sequence-classification'; labels: string[]; splits: Record<string, TextExample[]> };
export type WordDataset = TokenDataset | TextDataset;
