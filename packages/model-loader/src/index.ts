export type * from './types.ts';
export * from './safetensors/index.ts';
export * from './config/index.ts';
export * from './bert/index.ts';
export * from './checkpoint/index.ts';
export * from './sources/index.ts';
export * from './commands/index.ts';
export { activateBackend, type ExplicitBackend } from './runtime/backend.ts';
export { ModelFileError, isModelFileError } from './files/model-file-error.ts';
