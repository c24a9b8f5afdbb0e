/** The `with:` of `data-prep/train-tokenizer` after validation (defaults filled); the schema is in `stages/train-tokenizer.ts`. */
export interface TrainTokenizerParams {
  vocab_size: number;
  min_frequency: number;
  lowercase: boolean;
  split: string;
  trainer: 'deterministic' | 'tokenizers';
}
