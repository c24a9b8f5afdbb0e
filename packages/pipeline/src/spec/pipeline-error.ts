/** One problem found in a pipeline, with where it is (`file:line:col`, or `--set x` for overrides). */
export interface PipelineIssue {
  location: string;
  message: string;
}

/**
 * An invalid pipeline or invalid usage: the CLI prints every issue and exits with code 2.
 * Issues are collected (not thrown one by one) so a user sees all of them at once.
 */
export class PipelineError extends Error {
  readonly issues: PipelineIssue[];
  readonly exitCode = 2;

  constructor(issues: PipelineIssue[] | PipelineIssue) {
    const list = Array.isArray(issues) ? issues : [issues];
    super(list.map((issue) => (issue.location ? `${issue.location}: ${issue.message}` : issue.message)).join('\n'));
    this.name = 'PipelineError';
    this.issues = list;
  }
}

export function isPipelineError(error: unknown): error is PipelineError {
  return error instanceof Error && error.name === 'PipelineError' && Array.isArray((error as PipelineError).issues);
}

/**
 * An expected failure the user can fix — the CLI prints its message alone (no stack) and exits 2:
 * a PipelineError, a StageInputError (and its subclasses: data-prep's DataError, model-loader's
 * errors), or any error carrying `exitCode: 2` (across module instances). Anything else that
 * reaches the CLI is an internal error (exit 1).
 */
export function isUserError(error: unknown): error is Error & { exitCode: 2 } {
  return isPipelineError(error) || (error instanceof Error && (error as { exitCode?: unknown }).exitCode === 2);
}
