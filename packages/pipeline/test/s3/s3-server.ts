/// <reference path="./s3rver.d.ts" />
/**
 * A real S3-compatible server for the S3 store's tests: s3rver (npm, a dev dependency), in this
 * process, on 127.0.0.1 and a port the OS picks, its objects in a temp directory; `stop()` closes
 * it and deletes the directory. Why s3rver and what it does not do: packages/pipeline/README.md
 * ("S3 store").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** The environment a store (or a `tunekit` process) needs to reach it. */
  env: Record<string, string>;
  /** Where s3rver keeps its objects (to look, never to write). */
  directory: string;
  /** Objects created so far: `ObjectCreated:Put` (PutObject) or `ObjectCreated:Post` (a completed multipart upload). */
  created: { event: string; key: string }[];
  stop(): Promise<void>;
}

export async function startS3Server(bucket = 'tunekit-test'): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'tunekit-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const created: S3TestServer['created'] = [];
  server.on('event', (event) => {
    for (const record of event.Records) created.push({ event: record.eventName, key: decodeURIComponent(record.s3.object.key) });
  });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    created,
    env: { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
