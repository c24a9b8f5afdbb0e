/**
 * The S3 client of a store, configured from the standard AWS variables (and the shared
 * config/credentials files, through the SDK's default chain):
 *
 * | variable | meaning |
 * |---|---|
 * | `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL` | an S3-compatible server (MinIO, Ceph, R2, s3rver…); default AWS |
 * | `AWS_REGION`, `AWS_DEFAULT_REGION` | region (default `us-east-1`; S3 redirects are followed) |
 * | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_PROFILE` | credentials (SDK default chain) |
 * | `TUNEKIT_S3_PATH_STYLE` | `1`: `http://host/bucket/key` URLs, `0`: `http://bucket.host/key`; default `1` with an endpoint, else `0` |
 */
import { S3Client } from '@aws-sdk/client-s3';

export interface S3ClientSettings {
  client: S3Client;
  /** The endpoint as given, or `AWS` (for messages). */
  endpoint: string;
}

export function createS3Client(env: NodeJS.ProcessEnv): S3ClientSettings {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const pathStyle = env.TUNEKIT_S3_PATH_STYLE ? env.TUNEKIT_S3_PATH_STYLE !== '0' : Boolean(endpoint);
  const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
    : undefined;
  const client = new S3Client({
    ...(endpoint ? { endpoint } : {}),
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    forcePathStyle: pathStyle,
    followRegionRedirects: true,
    ...(credentials ? { credentials } : {}),
    // Integrity is ours (every blob's sha256 checked on download); the SDK's default CRC trailers
    // (aws-chunked bodies) are not understood by every S3-compatible server.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 120_000 },
  });
  return { client, endpoint: endpoint ?? 'AWS' };
}

/** HTTP status of an SDK error, if the server answered. */
export function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** One line for an SDK error: what the server (or the network) said, without a stack. */
export function s3ErrorText(error: unknown): string {
  const e = error as Error & { code?: string; Code?: string };
  const status = httpStatus(error);
  const code = e.code ?? e.Code ?? e.name;
  const message = e.message && e.message !== code && e.message !== 'UnknownError' ? `: ${e.message}` : '';
  return `${code}${status ? ` (HTTP ${status})` : ''}${message}`;
}
