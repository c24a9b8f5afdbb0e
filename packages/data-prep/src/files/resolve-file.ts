import { isAbsolute, resolve } from 'node:path';

/** JSON-schema fragment for a param naming an input file: the engine hashes its content into the cache key. */
export function fileParam(description: string): Record<string, unknown> {
  return { type: 'string', minLength: 1, 'x-tunekit-file': true, description };
}

/**
 * A param naming one file or a list of files. Written as one schema (not `oneOf`) so that the
 * engine's walker finds `x-tunekit-file` on the string and on every array item.
 */
export function filesParam(description: string): Record<string, unknown> {
  return {
    type: ['string', 'array'],
    'x-tunekit-file': true,
    minLength: 1,
    minItems: 1,
    items: { type: 'string', minLength: 1, 'x-tunekit-file': true },
    description,
  };
}

/** Param paths are relative to the pipeline file's directory. */
export function resolveParamPath(pipelineDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(pipelineDir, path);
}
