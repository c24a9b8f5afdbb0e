export * from './normalise-names.ts';
export * from './tokenizer-files.ts';
export * from './load.ts';
export * from './save.ts';
export * from './vocabulary.ts';
