import { StageInputError } from '@tunekit/pipeline';

/**
 * A problem with the user's data: a malformed line, a missing field, an inconsistent split.
 * The message always starts with `file:line:` (or `file:` when no line applies) and says what was
 * expected, e.g. `datasets/x/train.tsv:12: expected 2 columns (token, tag), found 3`.
 * The engine maps it to exit code 2 (invalid input), like a pipeline spec error.
 */
export class DataError extends StageInputError {
  override readonly name = 'DataError';
  /** Stable marker so the engine can recognise it across module instances / processes. */
  readonly code = 'E_TUNEKIT_DATA';

  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${detail}`);
  }
}

export function isDataError(error: unknown): error is DataError {
  return error instanceof Error && (error as { code?: unknown }).code === 'E_TUNEKIT_DATA';
}
