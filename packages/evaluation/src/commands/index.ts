export * from './score.ts';
export * from './predict.ts';
