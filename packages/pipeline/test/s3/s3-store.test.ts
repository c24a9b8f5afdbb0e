/**
 * The S3 store against a real S3-compatible server (s3rver on loopback, started here): an entry
 * committed from one machine's local root is found, downloaded and verified from another; large
 * files go up in multipart uploads; a corrupted object is detected and never installed; a bad
 * URL, a missing bucket or an unreachable endpoint is a StoreError (exit 2) within seconds.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { hashArtifact } from '../../src/cache/digest.ts';
import { openStore } from '../../src/cache/open-store.ts';
import type { Store } from '../../src/cache/store.ts';
import { FsStore } from '../../src/cache/stores/fs/fs-store.ts';
import { blobKey } from '../../src/cache/stores/s3/layout.ts';
import type { CacheKeyComponents } from '../../src/cache/cache-key.ts';
import { startConditionalProxy } from './conditional-proxy.ts';
import { startS3Server, type S3TestServer } from './s3-server.ts';

let server: S3TestServer;
const dirs: string[] = [];
const stores: Store[] = [];
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  for (const store of stores.splice(0)) await store.close();
  await server.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tunekit-s3-store-'));
  dirs.push(dir);
  return dir;
}

/** An S3 store on the test server as one "machine" sees it: its own local root. */
async function machine(prefix: string, extraEnv: Record<string, string> = {}): Promise<Store> {
  const store = await openStore(`s3://${server.bucket}/${prefix}`, { workspaceRoot: tempDir(), env: { ...server.env, TUNEKIT_HOME: join(tempDir(), 'store'), ...extraEnv } });
  stores.push(store);
  return store;
}

function s3(): S3Client {
  return new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
}

const key = (n: number) => n.toString(16).padStart(64, 'a');
const meta = (k: string) => ({ key: k, stageId: 'a', runId: 'r1', uses: 'command', createdAt: '2026-12-06T00:00:00.000Z', seconds: 0.1, components: {} as CacheKeyComponents });

/** Commit an entry with the given files (output name → relative path → content) through `store`. */
async function commitFiles(store: Store, k: string, outputs: Record<string, Record<string, string | Buffer>>) {
  const pending = await store.createPending(k, Object.keys(outputs));
  for (const [name, files] of Object.entries(outputs)) {
    for (const [path, content] of Object.entries(files)) {
      const target = join(pending.outputDir(name), path);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, content);
    }
  }
  return store.commit(pending, meta(k));
}

describe('S3 store on s3rver', () => {
  test('an entry committed by one machine is downloaded by another with the same digests as the fs store computes', async () => {
    const writer = await machine('share');
    const reader = await machine('share');
    const committed = await commitFiles(writer, key(1), { model: { 'config.json': '{"a":1}\n', 'weights/w.bin': Buffer.alloc(1000, 7) }, metrics: { 'm.json': '{}' } });
    expect(await reader.readMeta(key(1))).toEqual(committed.meta);
    const found = await reader.lookup(key(1));
    expect(found).toBeDefined();
    expect(await reader.verify(found!, { trustStat: true })).toEqual([]);
    expect(found!.dir).toBe(reader.entryDir(key(1)));
    expect(reader.entryDir(key(1))).not.toBe(writer.entryDir(key(1)));
    for (const name of ['model', 'metrics']) expect(await hashArtifact(reader.outputPath(key(1), name))).toBe(committed.meta.outputs[name]);
    expect(readFileSync(join(reader.outputPath(key(1), 'model'), 'weights/w.bin'))).toEqual(Buffer.alloc(1000, 7));
    // The fs store, given the same files, records the same digests.
    const fs = new FsStore(tempDir());
    const local = await commitFiles(fs, key(1), { model: { 'config.json': '{"a":1}\n', 'weights/w.bin': Buffer.alloc(1000, 7) }, metrics: { 'm.json': '{}' } });
    expect(local.meta.outputs).toEqual(committed.meta.outputs);
    // Small files are single PutObjects; the manifest is the last object written.
    const written = server.created.filter((created) => created.key.startsWith('share/'));
    expect(written.every((created) => created.event === 'ObjectCreated:Put')).toBe(true);
    expect(written.at(-1)!.key).toBe(`share/entries/${key(1).slice(0, 2)}/${key(1)}.json`);
    expect((await reader.listEntries()).map((entry) => entry.key)).toEqual([key(1)]);
  });

  test('a file larger than the part size goes up as a multipart upload and comes back intact', async () => {
    const store = await machine('multipart', { TUNEKIT_S3_PART_SIZE: String(5 * 1024 * 1024) });
    const big = Buffer.alloc(12 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 251;
    const committed = await commitFiles(store, key(2), { model: { 'model.safetensors': big } });
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(big).digest('hex');
    const bigKey = blobKey({ bucket: server.bucket, prefix: 'multipart' }, sha);
    const head = await s3().send(new HeadObjectCommand({ Bucket: server.bucket, Key: bigKey }));
    expect(head.ContentLength).toBe(big.length);
    // Created by CompleteMultipartUpload (s3rver's `Post` event), not by a PutObject.
    expect(server.created.filter((created) => created.key === bigKey).map((created) => created.event)).toEqual(['ObjectCreated:Post']);
    const reader = await machine('multipart');
    const found = await reader.lookup(key(2));
    expect(await reader.verify(found!, { trustStat: true })).toEqual([]);
    expect(readFileSync(join(reader.outputPath(key(2), 'model'), 'model.safetensors')).equals(big)).toBe(true);
    expect(found!.meta.outputs).toEqual(committed.meta.outputs);
  });

  test('a corrupted object is detected on download, never installed, and a rerun repairs it', async () => {
    const writer = await machine('corrupt');
    await commitFiles(writer, key(3), { out: { 'a.txt': 'the real content\n' } });
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update('the real content\n').digest('hex');
    const location = { bucket: server.bucket, prefix: 'corrupt' };
    await s3().send(new PutObjectCommand({ Bucket: server.bucket, Key: blobKey(location, sha), Body: 'the fake content\n' }));

    const reader = await machine('corrupt');
    const found = await reader.lookup(key(3));
    const problems = await reader.verify(found!, { trustStat: true });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`output file a.txt: object corrupt/blobs/sha256/${sha.slice(0, 2)}/${sha} is corrupt: 17 bytes with sha256 [0-9a-f]{16}…, expected 17 bytes with sha256 ${sha.slice(0, 16)}…`));
    expect(existsSync(reader.entryDir(key(3)))).toBe(false);
    // cache verify (no local copy, full re-hash) says the same of the bucket
    expect(await writer.verify(found!, {})).toEqual([expect.stringContaining('is corrupt')]);

    // What the runner does with a corrupt entry: remove it, rerun, commit — the blob is uploaded again.
    await reader.remove(key(3));
    expect(await reader.readMeta(key(3))).toBeUndefined();
    await commitFiles(reader, key(3), { out: { 'a.txt': 'the real content\n' } });
    const third = await machine('corrupt');
    const again = await third.lookup(key(3));
    expect(await third.verify(again!, { trustStat: true })).toEqual([]);
    expect(readFileSync(join(third.outputPath(key(3), 'out'), 'a.txt'), 'utf8')).toBe('the real content\n');
  });

  test('a changed local copy is fetched again from the bucket', async () => {
    const writer = await machine('local-copy');
    const committed = await commitFiles(writer, key(4), { out: { 'a.txt': 'abc' } });
    const file = join(writer.outputPath(key(4), 'out'), 'a.txt');
    const { chmodSync } = await import('node:fs');
    chmodSync(file, 0o644);
    writeFileSync(file, 'xyz');
    const entry = await writer.lookup(key(4));
    expect(await writer.verify(entry!, { trustStat: true })).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('abc');
    expect(entry!.meta.outputs).toEqual(committed.meta.outputs);
  });

  test('two processes of one machine fetching the same entry at once both end with one intact local copy', async () => {
    const writer = await machine('same-machine');
    const committed = await commitFiles(writer, key(6), { out: { 'a.bin': Buffer.alloc(300_000, 3), 'b.txt': 'b' } });
    const home = join(tempDir(), 'store');
    const open = async () => {
      const store = await openStore(`s3://${server.bucket}/same-machine`, { workspaceRoot: tempDir(), env: { ...server.env, TUNEKIT_HOME: home } });
      stores.push(store);
      return store;
    };
    const [one, two] = [await open(), await open()];
    const [a, b] = await Promise.all([one.lookup(key(6)), two.lookup(key(6))]);
    expect(a!.dir).toBe(b!.dir);
    expect(await one.verify(a!, { trustStat: true })).toEqual([]);
    expect(await two.verify(b!, { trustStat: true })).toEqual([]);
    expect(await hashArtifact(one.outputPath(key(6), 'out'))).toBe(committed.meta.outputs.out);
  });

  test('two writers of the same key at once leave one complete, verifiable entry', async () => {
    const [a, b] = [await machine('race'), await machine('race')];
    const results = await Promise.all([commitFiles(a, key(5), { out: { 'x.txt': 'from a' } }), commitFiles(b, key(5), { out: { 'x.txt': 'from b' } })]);
    const reader = await machine('race');
    const entry = await reader.lookup(key(5));
    expect(await reader.verify(entry!, {})).toEqual([]);
    const content = readFileSync(join(reader.outputPath(key(5), 'out'), 'x.txt'), 'utf8');
    expect(['from a', 'from b']).toContain(content);
    expect(results.map((r) => r.meta.outputs.out)).toContain(entry!.meta.outputs.out);
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: 'race/entries/' }));
    expect(listed.Contents).toHaveLength(1);
  });
});

describe('S3 store behind a proxy that enforces If-None-Match (s3rver ignores it)', () => {
  /** Both writers staged the key while it had no manifest; `first` commits, then `second`. */
  async function stagedTwice(store1: Store, store2: Store, k: string, first: string, second: string) {
    const stage = async (store: Store, text: string) => {
      const pending = await store.createPending(k, ['out']);
      writeFileSync(join(pending.outputDir('out'), 'x.txt'), text);
      return { store, pending };
    };
    const [one, two] = [await stage(store1, first), await stage(store2, second)];
    const committedFirst = await one.store.commit(one.pending, meta(k));
    const committedSecond = await two.store.commit(two.pending, { ...meta(k), runId: 'r2' });
    return { committedFirst, committedSecond };
  }

  test('the proxy itself: a conditional PutObject or CompleteMultipartUpload of an existing key is 412, other writes pass signed and unchanged', async () => {
    const proxy = await startConditionalProxy(server);
    const client = new S3Client({ endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const text = async (Key: string) => (await client.send(new GetObjectCommand({ Bucket: server.bucket, Key }))).Body!.transformToString('utf8');
    try {
      const put = (Key: string, Body: string, conditional: boolean) => client.send(new PutObjectCommand({ Bucket: server.bucket, Key, Body, ...(conditional ? { IfNoneMatch: '*' } : {}) }));
      await put('proxy/a b+c.txt', 'one', true);
      const refused = await put('proxy/a b+c.txt', 'two', true).catch((error: unknown) => error);
      expect([status(refused), (refused as Error).name]).toEqual([412, 'PreconditionFailed']);
      expect(await text('proxy/a b+c.txt')).toBe('one');
      await put('proxy/a b+c.txt', 'three', false);
      expect(await text('proxy/a b+c.txt')).toBe('three');

      const multipart = async (Key: string, body: string, conditional: boolean) => {
        const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: server.bucket, Key }));
        const { ETag } = await client.send(new UploadPartCommand({ Bucket: server.bucket, Key, UploadId, PartNumber: 1, Body: body }));
        return client.send(new CompleteMultipartUploadCommand({ Bucket: server.bucket, Key, UploadId, MultipartUpload: { Parts: [{ ETag, PartNumber: 1 }] }, ...(conditional ? { IfNoneMatch: '*' } : {}) }));
      };
      await multipart('proxy/big', 'first', true);
      const refusedMultipart = await multipart('proxy/big', 'second', true).catch((error: unknown) => error);
      expect(status(refusedMultipart)).toBe(412);
      expect(await text('proxy/big')).toBe('first');
      expect(proxy.conditional).toEqual(['proxy/a b+c.txt', 'proxy/a b+c.txt', 'proxy/big', 'proxy/big']);
      expect(proxy.refused).toEqual(['proxy/a b+c.txt', 'proxy/big']);
    } finally {
      client.destroy();
      await proxy.stop();
    }
  });

  test('s3rver itself lets the second conditional manifest PUT replace the first (why the proxy is needed)', async () => {
    const [a, b] = [await machine('plain-race'), await machine('plain-race')];
    await stagedTwice(a, b, key(7), 'from a', 'from b');
    const reader = await machine('plain-race');
    await reader.lookup(key(7));
    expect(readFileSync(join(reader.outputPath(key(7), 'out'), 'x.txt'), 'utf8')).toBe('from b');
  });

  test('the second writer gets 412 on its manifest and adopts the first writer\'s entry', async () => {
    const proxy = await startConditionalProxy(server);
    try {
      const through = async () => {
        const store = await openStore(`s3://${server.bucket}/conditional`, { workspaceRoot: tempDir(), env: { ...proxy.env, TUNEKIT_HOME: join(tempDir(), 'store') } });
        stores.push(store);
        return store;
      };
      const [a, b] = [await through(), await through()];
      const { committedFirst, committedSecond } = await stagedTwice(a, b, key(8), 'from a', 'from b');
      const manifest = `conditional/entries/${key(8).slice(0, 2)}/${key(8)}.json`;
      // Both manifest PUTs were conditional; the proxy refused the second one.
      expect(proxy.conditional).toEqual([manifest, manifest]);
      expect(proxy.refused).toEqual([manifest]);
      // The second writer's commit returned the first writer's entry, and its local copy holds the first's files.
      expect(committedSecond.meta).toEqual(committedFirst.meta);
      expect(committedSecond.meta.runId).toBe('r1');
      expect(readFileSync(join(b.outputPath(key(8), 'out'), 'x.txt'), 'utf8')).toBe('from a');
      // Both machines (and a third) look up the same digests, and every copy verifies against the bucket.
      const [fromA, fromB] = [await a.lookup(key(8)), await b.lookup(key(8))];
      expect(fromB!.meta.outputs).toEqual(fromA!.meta.outputs);
      const third = await through();
      const fromThird = await third.lookup(key(8));
      expect(fromThird!.meta.outputs).toEqual(committedFirst.meta.outputs);
      for (const [store, entry] of [[a, fromA], [b, fromB], [third, fromThird]] as const) expect(await store.verify(entry!, {})).toEqual([]);
      expect(readFileSync(join(third.outputPath(key(8), 'out'), 'x.txt'), 'utf8')).toBe('from a');
      // One manifest in the bucket; the blob of the discarded "from b" stays unreferenced (a lifecycle rule expires it).
      const listed = await s3().send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: 'conditional/entries/' }));
      expect(listed.Contents!.map((object) => object.Key)).toEqual([manifest]);
    } finally {
      await proxy.stop();
    }
  });

  test('same content from both writers: the second keeps its own files under the first\'s meta', async () => {
    const proxy = await startConditionalProxy(server);
    try {
      const through = async () => {
        const store = await openStore(`s3://${server.bucket}/conditional-same`, { workspaceRoot: tempDir(), env: { ...proxy.env, TUNEKIT_HOME: join(tempDir(), 'store') } });
        stores.push(store);
        return store;
      };
      const [a, b] = [await through(), await through()];
      const { committedFirst, committedSecond } = await stagedTwice(a, b, key(9), 'same', 'same');
      expect(proxy.refused).toHaveLength(1);
      expect(committedSecond.meta).toEqual(committedFirst.meta);
      const entry = await b.lookup(key(9));
      expect(await b.verify(entry!, {})).toEqual([]);
      expect(readFileSync(join(b.outputPath(key(9), 'out'), 'x.txt'), 'utf8')).toBe('same');
    } finally {
      await proxy.stop();
    }
  });
});

describe('opening an S3 store', () => {
  const open = (url: string, env: Record<string, string>) => openStore(url, { workspaceRoot: tempDir(), env: { TUNEKIT_HOME: tempDir(), ...env } });

  test.each([
    ['s3://', 'invalid S3 store "s3://": "" is not a bucket name'],
    ['s3://Bad_Bucket/x', 'invalid S3 store "s3://Bad_Bucket/x": "Bad_Bucket" is not a bucket name'],
    ['s3://bucket/a//b', 'invalid S3 store "s3://bucket/a//b": the prefix "a//b" has an empty, "." or ".." segment'],
    ['gs://bucket/x', 'unsupported store "gs://bucket/x": expected a directory or s3://bucket/prefix'],
  ])('%s is a StoreError (exit 2)', async (url, message) => {
    await expect(open(url, server.env)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining(message) });
  });

  test('a part size below S3\'s 5 MiB minimum is a StoreError', async () => {
    await expect(open(`s3://${server.bucket}/x`, { ...server.env, TUNEKIT_S3_PART_SIZE: '1024' })).rejects.toMatchObject({
      exitCode: 2,
      message: 'TUNEKIT_S3_PART_SIZE must be a whole number of bytes, at least 5242880 (S3\'s minimum part size); found "1024"',
    });
  });

  test('a missing bucket is named', async () => {
    await expect(open('s3://no-such-bucket/x', server.env)).rejects.toMatchObject({ exitCode: 2, message: `S3 store s3://no-such-bucket/x (endpoint ${server.endpoint}): bucket "no-such-bucket" does not exist` });
  });

  test('an endpoint nobody listens on fails within seconds, naming it', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const started = Date.now();
    await expect(open(`s3://${server.bucket}/x`, { ...server.env, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(new RegExp(`^S3 store s3://${server.bucket}/x \\(endpoint http://127.0.0.1:${port}\\): cannot reach the bucket: .*ECONNREFUSED`)),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
