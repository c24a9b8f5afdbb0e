export * from './define-stage.ts';
export * from './artifact-manifest.ts';
export * from './run-events.ts';
export * from './input-error.ts';
export * from './seeded-random.ts';
export { firstInvalidUtf8, lineOfOffset } from './utf8.ts';
