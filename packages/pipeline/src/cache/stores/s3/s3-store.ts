/**
 * An S3 store (`s3://bucket/prefix`): committed entries live in the bucket (layout.ts), a local
 * copy of each entry this machine used lives in `root/objects/` — the fs store's layout, so the
 * copy is an ordinary fs entry and the fs store's quick stat check applies to it.
 *
 * - lookup: the bucket's manifest decides; a local copy with the same output digests is used as
 *   is, otherwise the entry is downloaded into a temp entry, every blob checked against its sha256
 *   and every output against its artifact digest, and only then renamed into place.
 * - commit: blobs first (skipped when the bucket has them), the manifest last with
 *   `If-None-Match: *`; a server that answers 412 had another writer commit the key first, whose
 *   entry is then adopted. A forced rerun (the manifest existed when the stage was staged)
 *   replaces the manifest.
 * - Local state (run records, logs, locks, scratch, last keys) stays in `root`, as with the fs store.
 */
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { hashArtifact } from '../../digest.ts';
import { StoreError } from '../../store-error.ts';
import type { EntryMeta, PendingEntry, Store, StoreEntry } from '../../store.ts';
import { FsStore, hashOutputs } from '../fs/fs-store.ts';
import { blobKey, entriesPrefix, keyOfManifest, manifestKey } from './layout.ts';
import { describeOutputs, MANIFEST_FORMAT, parseManifest, type EntryManifest, type ManifestFile } from './manifest.ts';
import { createS3Client, httpStatus, s3ErrorText } from './s3-client.ts';
import { parseS3Url, type S3Location } from './s3-url.ts';
import { downloadVerified, forEachLimit, objectSize, partSize, uploadFile } from './transfer.ts';

/** Blobs moved at once (each multipart upload also sends up to 4 parts at once). */
const TRANSFERS = 4;

export interface S3StoreOptions {
  /** Local directory: run records, logs, locks and the local copies of entries. */
  localRoot: string;
  env?: NodeJS.ProcessEnv;
  /** Give up on an unreachable endpoint after this long (default `TUNEKIT_S3_PROBE_MS`, else 5000). */
  probeMs?: number;
}

type BlobFile = Extract<ManifestFile, { sha256: string }>;

function sameDigests(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a).sort();
  return keys.join('\n') === Object.keys(b).sort().join('\n') && keys.every((name) => a[name] === b[name]);
}

export class S3Store implements Store {
  private readonly local: FsStore;
  /** Problems found by the last download of a key: `verify()` reports them, so the entry is not used. */
  private readonly failedDownloads = new Map<string, string[]>();
  /** Blobs found corrupt, by the key whose entry uses them: `remove()` deletes them so a rerun re-uploads. */
  private readonly corruptBlobs = new Map<string, Set<string>>();
  /** Pending entry dir → whether the key already had a manifest when it was staged (a forced rerun). */
  private readonly replaces = new Map<string, boolean>();

  private constructor(
    readonly location: string,
    private readonly s3: S3Location,
    private readonly client: S3Client,
    private readonly endpoint: string,
    localRoot: string,
    private readonly partSize: number,
  ) {
    this.local = new FsStore(localRoot);
  }

  /** Parse the URL, create the client and check the bucket answers; any failure is a StoreError (exit 2). */
  static async open(url: string, options: S3StoreOptions): Promise<S3Store> {
    const env = options.env ?? process.env;
    const s3 = parseS3Url(url);
    const { client, endpoint } = createS3Client(env);
    const store = new S3Store(url, s3, client, endpoint, options.localRoot, partSize(env));
    await store.probe(options.probeMs ?? Number(env.TUNEKIT_S3_PROBE_MS || 5_000));
    return store;
  }

  private async probe(timeoutMs: number): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.s3.bucket }), { abortSignal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      this.client.destroy();
      const status = httpStatus(error);
      const name = (error as Error).name;
      const where = `S3 store ${this.location} (endpoint ${this.endpoint})`;
      if (status === 404) throw new StoreError(`${where}: bucket "${this.s3.bucket}" does not exist`);
      if (status === 401 || status === 403) throw new StoreError(`${where}: access denied (${s3ErrorText(error)}); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE`);
      if (name === 'CredentialsProviderError') throw new StoreError(`${where}: no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)`);
      if (name === 'AbortError' || name === 'TimeoutError') throw new StoreError(`${where}: no answer within ${timeoutMs / 1000} s`);
      throw new StoreError(`${where}: cannot reach the bucket: ${s3ErrorText(error)}`);
    }
  }

  get root(): string {
    return this.local.root;
  }

  get runsDir(): string {
    return this.local.runsDir;
  }

  entryDir(key: string): string {
    return this.local.entryDir(key);
  }

  outputPath(key: string, output: string): string {
    return this.local.outputPath(key, output);
  }

  scratchDir(key: string): string {
    return this.local.scratchDir(key);
  }

  logsDir(runId: string): string {
    return this.local.logsDir(runId);
  }

  /** The key's manifest, or undefined when there is none (or it cannot be read as one: the stage then reruns and replaces it). */
  private async readManifest(key: string): Promise<EntryManifest | undefined> {
    let text: string;
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.s3.bucket, Key: manifestKey(this.s3, key) }));
      text = await response.Body!.transformToString('utf8');
    } catch (error) {
      if (httpStatus(error) === 404) return undefined;
      throw new Error(`S3 store ${this.location}: cannot read the manifest of ${key.slice(0, 12)}: ${s3ErrorText(error)}`);
    }
    try {
      return parseManifest(text, key);
    } catch {
      return undefined;
    }
  }

  async readMeta(key: string): Promise<EntryMeta | undefined> {
    return (await this.readManifest(key))?.meta;
  }

  async lookup(key: string): Promise<StoreEntry | undefined> {
    const manifest = await this.readManifest(key);
    if (!manifest) return undefined;
    this.failedDownloads.delete(key);
    const local = await this.local.lookup(key);
    if (!local || !sameDigests(local.meta.outputs, manifest.meta.outputs)) {
      const problems = await this.materialise(manifest);
      if (problems.length > 0) this.failedDownloads.set(key, problems);
    }
    return { key, dir: this.entryDir(key), meta: manifest.meta };
  }

  /**
   * Download an entry into a local temp entry, check every blob's sha256 and every output's
   * digest, and install it only when all match. Returns the problems (nothing installed) or [].
   */
  private async materialise(manifest: EntryManifest): Promise<string[]> {
    const { key } = manifest.meta;
    const names = Object.keys(manifest.files).sort();
    const pending = await this.local.createPending(key, names);
    try {
      const downloads: { file: BlobFile; target: string }[] = [];
      for (const name of names) {
        for (const file of manifest.files[name]!) {
          const target = join(pending.outputDir(name), file.path);
          await mkdir(dirname(target), { recursive: true });
          if ('link' in file) await symlink(file.link, target);
          else downloads.push({ file, target });
        }
      }
      const problems: string[] = [];
      await forEachLimit(downloads, TRANSFERS, async ({ file, target }) => {
        const problem = await downloadVerified(this.client, this.s3.bucket, blobKey(this.s3, file.sha256), file, target);
        if (!problem) return;
        problems.push(`output file ${file.path}: ${problem.text}`);
        if (problem.kind === 'corrupt') this.noteCorruptBlob(key, file.sha256);
      });
      if (problems.length === 0) {
        for (const name of names) {
          const actual = await hashArtifact(pending.outputDir(name));
          const expected = manifest.meta.outputs[name]!;
          if (actual !== expected) problems.push(`output "${name}" digest ${actual.slice(0, 12)} != recorded ${expected.slice(0, 12)}`);
        }
      }
      if (problems.length > 0) {
        await this.local.discard(pending);
        return problems;
      }
      // Another process of this machine (a second run, a worker's other job) may have installed the
      // same copy meanwhile and be reading it: keep that one rather than rename it away.
      const installed = await this.local.lookup(key);
      if (installed && sameDigests(installed.meta.outputs, manifest.meta.outputs) && (await this.local.verify(installed, { trustStat: true })).length === 0) {
        await this.local.discard(pending);
        return [];
      }
      await this.local.install(pending, manifest.meta);
      return [];
    } catch (error) {
      await this.local.discard(pending);
      throw error;
    }
  }

  private noteCorruptBlob(key: string, sha256: string): void {
    const blobs = this.corruptBlobs.get(key) ?? new Set<string>();
    blobs.add(blobKey(this.s3, sha256));
    this.corruptBlobs.set(key, blobs);
  }

  /** Re-hash every blob of an entry in the bucket (nothing is written locally). */
  private async verifyRemote(manifest: EntryManifest): Promise<string[]> {
    const blobs = new Map<string, BlobFile>();
    for (const files of Object.values(manifest.files)) for (const file of files) if (!('link' in file)) blobs.set(file.sha256, file);
    const problems: string[] = [];
    await forEachLimit([...blobs.values()], TRANSFERS, async (file) => {
      const problem = await downloadVerified(this.client, this.s3.bucket, blobKey(this.s3, file.sha256), file);
      if (!problem) return;
      problems.push(problem.text);
      if (problem.kind === 'corrupt') this.noteCorruptBlob(manifest.meta.key, file.sha256);
    });
    return problems;
  }

  /**
   * With `trustStat` (a run's cache hit, just looked up): the download's problems, else the local
   * copy's check — a changed local copy is fetched again. Without (`cache verify`,
   * `--verify-outputs`): every blob in the bucket is re-hashed, then the local copy if there is one.
   */
  async verify(entry: StoreEntry, options: { trustStat?: boolean } = {}): Promise<string[]> {
    const failed = this.failedDownloads.get(entry.key);
    if (failed) return failed;
    let manifest: EntryManifest | undefined;
    if (!options.trustStat) {
      manifest = await this.readManifest(entry.key);
      if (!manifest) return [`manifest ${manifestKey(this.s3, entry.key)} is missing or unreadable`];
      const remote = await this.verifyRemote(manifest);
      if (remote.length > 0) return remote;
    }
    if (!existsSync(join(entry.dir, 'meta.json'))) return [];
    const local = await this.local.verify(entry, options);
    if (local.length === 0) return [];
    manifest ??= await this.readManifest(entry.key);
    if (!manifest) return [`manifest ${manifestKey(this.s3, entry.key)} is missing or unreadable`];
    return this.materialise(manifest);
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.s3.bucket, Key: manifestKey(this.s3, key) }));
    for (const blob of this.corruptBlobs.get(key) ?? []) await this.client.send(new DeleteObjectCommand({ Bucket: this.s3.bucket, Key: blob }));
    this.corruptBlobs.delete(key);
    this.failedDownloads.delete(key);
    await this.local.remove(key);
  }

  async listEntries(): Promise<StoreEntry[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.s3.bucket, Prefix: entriesPrefix(this.s3), ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const key = object.Key ? keyOfManifest(object.Key) : undefined;
        if (key) keys.push(key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const entries: StoreEntry[] = [];
    for (const key of keys.sort()) {
      const manifest = await this.readManifest(key);
      if (manifest) entries.push({ key, dir: this.entryDir(key), meta: manifest.meta });
    }
    return entries;
  }

  async createPending(key: string, outputs: string[]): Promise<PendingEntry> {
    const pending = await this.local.createPending(key, outputs);
    this.replaces.set(pending.dir, (await objectSize(this.client, this.s3.bucket, manifestKey(this.s3, key))) !== undefined);
    return pending;
  }

  async discard(pending: PendingEntry): Promise<void> {
    this.replaces.delete(pending.dir);
    await this.local.discard(pending);
  }

  async commit(pending: PendingEntry, meta: Omit<EntryMeta, 'outputs'>): Promise<StoreEntry> {
    const replace = this.replaces.get(pending.dir) ?? false;
    this.replaces.delete(pending.dir);
    const outputs = await hashOutputs(pending.dir);
    const full: EntryMeta = { ...meta, outputs };
    const files = await describeOutputs(pending.dir, Object.keys(outputs));
    await this.uploadBlobs(pending, files);
    const manifest: EntryManifest = { format: MANIFEST_FORMAT, meta: full, files };
    if (await this.putManifest(manifest, replace)) return this.local.install(pending, full);
    // Another writer committed this key between our staging and now: its entry is the entry.
    const winner = await this.readManifest(pending.key);
    if (winner && sameDigests(winner.meta.outputs, outputs)) return this.local.install(pending, winner.meta);
    await this.local.discard(pending);
    if (!winner) throw new Error(`S3 store ${this.location}: the manifest of ${pending.key.slice(0, 12)} was refused as already present, but cannot be read`);
    const problems = await this.materialise(winner);
    if (problems.length > 0) throw new Error(`S3 store ${this.location}: ${pending.key.slice(0, 12)} was committed by another writer first, and its entry is corrupt: ${problems.join('; ')}`);
    return { key: pending.key, dir: this.entryDir(pending.key), meta: winner.meta };
  }

  /** Upload the blobs the bucket does not have yet (smallest first), each at most once. */
  private async uploadBlobs(pending: PendingEntry, files: Record<string, ManifestFile[]>): Promise<void> {
    const blobs = new Map<string, { file: BlobFile; path: string }>();
    for (const [name, list] of Object.entries(files)) {
      for (const file of list) if (!('link' in file) && !blobs.has(file.sha256)) blobs.set(file.sha256, { file, path: join(pending.outputDir(name), file.path) });
    }
    const ordered = [...blobs.values()].sort((a, b) => a.file.size - b.file.size);
    await forEachLimit(ordered, TRANSFERS, async ({ file, path }) => {
      const key = blobKey(this.s3, file.sha256);
      if ((await objectSize(this.client, this.s3.bucket, key)) === file.size) return;
      await uploadFile(this.client, this.s3.bucket, key, path, file.size, this.partSize);
    });
  }

  /** Write the manifest: only if absent (false when the server says another writer was first), or replacing. */
  private async putManifest(manifest: EntryManifest, replace: boolean): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(
        new PutObjectCommand({
          Bucket: this.s3.bucket,
          Key: manifestKey(this.s3, manifest.meta.key),
          Body: JSON.stringify(manifest, null, 2) + '\n',
          ContentType: 'application/json',
          ...(replace ? {} : { IfNoneMatch: '*' }),
        }),
      );
        return true;
      } catch (error) {
        // 412: the key exists. 409: a conditional write to the same key is in flight; AWS says retry.
        if (httpStatus(error) === 412) return false;
        if (httpStatus(error) !== 409 || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  lockKey(key: string, signal?: AbortSignal): Promise<() => Promise<void>> {
    return this.local.lockKey(key, signal);
  }

  collectionDir(digest: string, items: { stageId: string; coords: Record<string, unknown>; dir: string; digest: string }[]): Promise<string> {
    return this.local.collectionDir(digest, items);
  }

  registerActiveRun(runId: string): Promise<() => Promise<void>> {
    return this.local.registerActiveRun(runId);
  }

  activeRuns(): Promise<{ runId: string; pid: number }[]> {
    return this.local.activeRuns();
  }

  cleanStaleTemp(): Promise<number> {
    return this.local.cleanStaleTemp();
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
