/**
 * A store that cannot be used as named: a bad location (`s3://` without a bucket, an unknown
 * scheme), an unreachable endpoint, a missing bucket, refused credentials. Exit code 2 with this
 * message alone (the CLI's error boundary tests `exitCode: 2`).
 */
export class StoreError extends Error {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
