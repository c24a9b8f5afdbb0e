/**
 * The store contract: where committed cache entries live and how a stage's outputs become one.
 * Two implementations, one folder each: `stores/fs/` (a directory, default `<workspace>/.tunekit`)
 * and `stores/s3/` (`s3://bucket/prefix`: entries in a bucket, local copies in `root`).
 * `openStore()` (open-store.ts) picks one from a location string. Both use the same cache keys and
 * the same artifact digests (digest.ts), so an entry means the same thing in either.
 *
 * Every path the contract returns is local: a stage always reads and writes a local directory.
 * A remote store materialises an entry's outputs locally in `lookup()` (downloaded, verified) and
 * uploads them in `commit()`.
 */
import type { CacheKeyComponents } from './cache-key.ts';

/** Metadata stored with every entry: what produced it, and the digest of each output. */
export interface EntryMeta {
  key: string;
  /** Stage instance id and run that produced the entry (`producedBy` for tracking). */
  stageId: string;
  runId: string;
  uses: string;
  createdAt: string;
  seconds: number;
  outputs: Record<string, string>;
  components: CacheKeyComponents;
}

/** A committed entry; `dir` is its local copy (`dir/outputs/<name>/`). */
export interface StoreEntry {
  key: string;
  dir: string;
  meta: EntryMeta;
}

/** A staged, not yet committed entry: the stage writes into `outputDir(name)` (a local directory). */
export interface PendingEntry {
  key: string;
  dir: string;
  outputDir(name: string): string;
}

export interface Store {
  /** The store as the user names it: a directory, or `s3://bucket/prefix`. */
  readonly location: string;
  /**
   * This machine's local directory: run records (`runs/`), logs, locks, scratch, last keys, temp
   * entries, collections and the local copies of entries (`objects/`). For the fs store it is the store.
   */
  readonly root: string;
  readonly runsDir: string;
  /** Local directory of an entry's copy (whether or not it exists yet). */
  entryDir(key: string): string;
  outputPath(key: string, output: string): string;
  scratchDir(key: string): string;
  logsDir(runId: string): string;

  /**
   * The committed entry for `key`, its outputs present under `entry.dir`, or undefined. A remote
   * store downloads them here (verifying every file's sha256); a download that fails verification is
   * not installed, and `verify()` then reports it, so a corrupt object is never used.
   */
  lookup(key: string): Promise<StoreEntry | undefined>;
  /** The committed entry's meta without fetching its outputs (status, a coordinator), or undefined. */
  readMeta(key: string): Promise<EntryMeta | undefined>;
  /**
   * One line per problem (empty: intact). `trustStat`: the local copy may be trusted by its
   * stat snapshot (stat-snapshot.ts). Without it everything is re-hashed (a remote store: its objects too).
   */
  verify(entry: StoreEntry, options?: { trustStat?: boolean }): Promise<string[]>;
  /** Remove an entry (a remote store: its manifest, so no reader finds it, and the local copy). */
  remove(key: string): Promise<void>;
  /** Every committed entry (a remote store: listed from the bucket; `dir` may not exist locally). */
  listEntries(): Promise<StoreEntry[]>;

  /** A local temp entry with one empty directory per output; nothing is visible to readers yet. */
  createPending(key: string, outputs: string[]): Promise<PendingEntry>;
  discard(pending: PendingEntry): Promise<void>;
  /**
   * Hash the outputs and make the entry visible, atomically (fs: rename; S3: upload the files,
   * then the manifest last). If another writer committed the same key first, its entry wins and is
   * returned: callers use the returned `meta.outputs`, not what they computed.
   */
  commit(pending: PendingEntry, meta: Omit<EntryMeta, 'outputs'>): Promise<StoreEntry>;

  /** Exclusive use of one key among the processes of this machine (see stores/fs/fs-store.ts). */
  lockKey(key: string, signal?: AbortSignal): Promise<() => Promise<void>>;
  /** Materialise a gathered matrix input (local symlinks to local entry copies). */
  collectionDir(digest: string, items: { stageId: string; coords: Record<string, unknown>; dir: string; digest: string }[]): Promise<string>;
  registerActiveRun(runId: string): Promise<() => Promise<void>>;
  activeRuns(): Promise<{ runId: string; pid: number }[]>;
  /** Remove local temp directories left by dead processes. */
  cleanStaleTemp(): Promise<number>;
  /** Release connections (S3 client); the fs store has none. */
  close(): Promise<void>;
}
