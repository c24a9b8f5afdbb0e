export * from './forward-inputs.ts';
export * from './model-forward.ts';
export * from './model-inspect.ts';
