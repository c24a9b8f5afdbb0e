// Encoded datasets (what training and evaluation read).
export * from './encoded/types.ts';
export type * from './encoded/manifest.ts';
export { loadEncodedDataset, readEncodedManifest } from './encoded/load-encoded.ts';
export { primaryPositions, wordValues } from './encoded/word-positions.ts';
export { writeEncodedDataset } from './encoded/write-encoded.ts';
// Errors.
export { DataError, isDataError } from './errors/data-error.ts';
// Word-level datasets.
export type * from './dataset/types.ts';
export { readDataset } from './dataset/read-dataset.ts';
export { writeDataset } from './dataset/write-dataset.ts';
export { readCorpusArtifact, writeCorpus, type CorpusManifest, type CorpusSplitSummary } from './corpus/write-corpus.ts';
export { parseConll } from './conll/parse-conll.ts';
export { convertToIob2, parseTag, type TagScheme } from './tagging/tag-schemes.ts';
// Tokenization.
export { loadTokenizer, type LoadedTokenizer } from './tokenize/load-tokenizer.ts';
export { encodeSentences, tokenizeDataset } from './tokenize/tokenize-dataset.ts';
export { IGNORE_INDEX } from './tokenize/encode-token-classification.ts';
export { planWindows, choosePrimaryWindows } from './tokenize/windows.ts';
export { WordPieces } from './tokenize/word-pieces.ts';
