import type { CorpusFormat } from './parse-corpus.ts';

/** The `with:` of `data-prep/corpus` after validation (defaults filled); the schema is in `stages/corpus.ts`. */
export interface CorpusParams {
  train: string | string[];
  validation?: string | string[];
  format: CorpusFormat;
  dedup: boolean;
  validation_from_train: number;
  wikitext_unk: 'drop' | 'keep';
  /** Largest input file in MiB (`READ_LIMIT_PARAMS`); defaults filled by the schema. */
  max_file_mb?: number;
  /** Longest line in characters. */
  max_line_length?: number;
}
