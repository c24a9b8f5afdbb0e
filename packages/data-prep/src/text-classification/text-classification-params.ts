/** `format:` of `data-prep/text-classification` (`auto`: from the file extension). */
export type TextFormat = 'auto' | 'jsonl' | 'csv' | 'tsv' | 'ade-corpus';

/** The `with:` of `data-prep/text-classification` after validation (defaults filled); the schema is in `stages/text-classification.ts`. */
export interface TextClassificationParams {
  train: string | string[];
  validation?: string | string[];
  test?: string | string[];
  format: TextFormat;
  text_field: string;
  label_field: string;
  labels?: string[];
  validation_from_train: number;
  test_from_train: number;
  on_invalid: 'error' | 'skip';
  /** Largest input file in MiB (`READ_LIMIT_PARAMS`); defaults filled by the schema. */
  max_file_mb?: number;
  /** Longest line in characters. */
  max_line_length?: number;
}
