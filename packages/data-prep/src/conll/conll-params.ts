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
}
