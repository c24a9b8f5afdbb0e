export * from './reliability.ts';
export * from './softmax.ts';
export * from './temperature.ts';
export * from './entity-confidence.ts';
