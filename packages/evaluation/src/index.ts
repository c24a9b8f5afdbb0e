/**
 * @tunekit/evaluation's library API (pure, light: no tfjs, no vega at import).
 * Stages: `@tunekit/evaluation/stages`; CLI command logic: `@tunekit/evaluation/commands`.
 */
export * from './metrics/ner/index.ts';
export * from './metrics/classification/index.ts';
export * from './calibration/index.ts';
export * from './metrics-file/index.ts';
export * from './predictions/index.ts';
export * from './decoding/bio-viterbi.ts';
export { wordPredictions, type WordDecoding, type WordPredictions } from './predict/word-predictions.ts';
