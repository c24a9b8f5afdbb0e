/**
 * Moving one blob: upload a local file (lib-storage's `Upload`: multipart above the part size,
 * parts in parallel, the multipart upload aborted on failure), download one while hashing it.
 * A download is written to its target only as it streams; a caller that gets a problem back must
 * not use the target (it has been deleted).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { StoreError } from '../../store-error.ts';
import { httpStatus } from './s3-client.ts';

const MIN_PART = 5 * 1024 * 1024;

/** Multipart part size: `TUNEKIT_S3_PART_SIZE` bytes (at least S3's 5 MiB minimum), default 16 MiB. */
export function partSize(env: NodeJS.ProcessEnv): number {
  if (!env.TUNEKIT_S3_PART_SIZE) return 16 * 1024 * 1024;
  const value = Number(env.TUNEKIT_S3_PART_SIZE);
  if (!Number.isInteger(value) || value < MIN_PART) throw new StoreError(`TUNEKIT_S3_PART_SIZE must be a whole number of bytes, at least ${MIN_PART} (S3's minimum part size); found "${env.TUNEKIT_S3_PART_SIZE}"`);
  return value;
}

/** Size of an object, or undefined when it does not exist. */
export async function objectSize(client: S3Client, bucket: string, key: string): Promise<number | undefined> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.ContentLength ?? 0;
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}

export async function uploadFile(client: S3Client, bucket: string, key: string, path: string, size: number, part: number): Promise<void> {
  if (size === 0) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array(0) }));
    return;
  }
  const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: createReadStream(path) }, partSize: part, queueSize: 4, leavePartsOnError: false });
  await upload.done();
}

/**
 * Stream an object through sha256 into `target` (a new file), or nowhere when `target` is
 * undefined (verification only). Returns the problem when the object is missing or its content
 * is not what its name says (the target is then deleted), undefined when it is intact.
 */
export async function downloadVerified(client: S3Client, bucket: string, key: string, expected: { sha256: string; size: number }, target?: string): Promise<BlobProblem | undefined> {
  let body: Readable;
  try {
    body = (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body as Readable;
  } catch (error) {
    if (httpStatus(error) === 404) return { kind: 'missing', text: `object ${key} is missing` };
    throw error;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const sink = target ? createWriteStream(target, { flags: 'wx' }) : new Writable({ write: (_chunk, _encoding, done) => done() });
  await pipeline(body, tee, sink);
  const actual = hash.digest('hex');
  if (actual === expected.sha256 && bytes === expected.size) return undefined;
  if (target) await rm(target, { force: true });
  return { kind: 'corrupt', text: `object ${key} is corrupt: ${bytes} bytes with sha256 ${actual.slice(0, 16)}…, expected ${expected.size} bytes with sha256 ${expected.sha256.slice(0, 16)}…` };
}

export interface BlobProblem {
  kind: 'missing' | 'corrupt';
  text: string;
}

/** Run `task` over `items`, at most `limit` at once; the first error is thrown after the others settle. */
export async function forEachLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < items.length && !failure) {
      const item = items[next++]!;
      await task(item).catch((error: unknown) => {
        failure ??= { error };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
}
