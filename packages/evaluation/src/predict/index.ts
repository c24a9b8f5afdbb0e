export * from './inference-model.ts';
export * from './logits.ts';
export * from './word-predictions.ts';
export * from './predict-encoded.ts';
export * from './predict-file.ts';
