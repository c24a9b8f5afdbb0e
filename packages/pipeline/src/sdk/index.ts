export * from './define-stage.ts';
export * from './artifact-manifest.ts';
