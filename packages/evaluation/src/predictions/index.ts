export * from './manifest.ts';
export * from './ner-predictions.ts';
export * from './classification-predictions.ts';
