import { StageInputError } from '@tunekit/pipeline';

/**
 * A bad model folder: a missing, empty, truncated or malformed `config.json`, `model.safetensors`
 * or `vocab.txt`, a directory or device where a file is expected, a symlink loop. The message
 * starts with the file's path (`<file>: <problem>`); it is a user error (exit code 2, no stack),
 * never a crash.
 */
export class ModelFileError extends StageInputError {
  override readonly name = 'ModelFileError';
  /** Stable marker, recognisable across module instances and processes. */
  readonly code = 'E_TUNEKIT_MODEL_FILE';

  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

export function isModelFileError(error: unknown): error is ModelFileError {
  return error instanceof Error && (error as { code?: unknown }).code === 'E_TUNEKIT_MODEL_FILE';
}
