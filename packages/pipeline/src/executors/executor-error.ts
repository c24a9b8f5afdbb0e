/**
 * An executor that cannot be used as named: a malformed `--executor` / `executor:` /
 * TUNEKIT_EXECUTOR value, an unreachable Redis. Exit code 2 with this message alone (the CLI's
 * error boundary tests `exitCode: 2`).
 */
export class ExecutorError extends Error {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'ExecutorError';
  }
}
