/** The `with:` of `data-prep/conll` after validation (defaults filled); the schema is in `stages/conll.ts`. */
export interface ConllParams {
  train: string;
  validation?: string;
  test?: string;
  validation_from_train: number;
  test_from_train: number;
  token_column: number;
  tag_column: number;
  delimiter: 'auto' | 'tab' | 'whitespace';
  tag_scheme: 'IOB1' | 'IOB2' | 'IOBES';
  on_invalid: 'error' | 'repair';
  /** Largest input file in MiB (`READ_LIMIT_PARAMS`); defaults filled by the schema. */
  max_file_mb?: number;
  /** Longest line in characters. */
  max_line_length?: number;
}
