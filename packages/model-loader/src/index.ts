export type * from './types.ts';
export * from './safetensors/index.ts';
export * from './config/index.ts';
export * from './bert/index.ts';
export * from './checkpoint/index.ts';
export * from './sources/index.ts';
