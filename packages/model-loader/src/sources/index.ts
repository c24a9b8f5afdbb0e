export * from './digest.ts';
export * from './hf-hub.ts';
export * from './resolve-source.ts';
