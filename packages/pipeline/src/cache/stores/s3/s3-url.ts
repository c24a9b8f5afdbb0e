import { StoreError } from '../../store-error.ts';

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slash ('' for the bucket's root). */
  prefix: string;
}

/** Bucket names as S3 accepts them: 3–63 lowercase letters, digits, dots and hyphens. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket/some/prefix` → { bucket, prefix }; anything else is a StoreError naming the problem. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/?#]*)\/?([^?#]*)$/.exec(url);
  if (!match) throw new StoreError(`invalid S3 store "${url}": expected s3://bucket/prefix`);
  const [, bucket = '', rawPrefix = ''] = match;
  if (!BUCKET.test(bucket)) throw new StoreError(`invalid S3 store "${url}": "${bucket}" is not a bucket name (3-63 lowercase letters, digits, dots and hyphens)`);
  const prefix = rawPrefix.replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((part) => part === '' || part === '.' || part === '..') && prefix !== '') {
    throw new StoreError(`invalid S3 store "${url}": the prefix "${rawPrefix}" has an empty, "." or ".." segment`);
  }
  return { bucket, prefix };
}
