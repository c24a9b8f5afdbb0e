/**
 * Thrown by a stage when its input (a data file, a param's value) is invalid rather than the stage
 * being broken: the stage fails as usual and `tunekit run` exits with code 2 (invalid input), not 1.
 * The message should start with `file:line:` and say what was expected.
 */
export class StageInputError extends Error {
  override name = 'StageInputError';
  /** The CLI exit code this error maps to. */
  readonly exitCode = 2;
}

/** True for a StageInputError or any error that carries `exitCode: 2` (across module instances). */
export function isStageInputError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { exitCode?: unknown }).exitCode === 2;
}
