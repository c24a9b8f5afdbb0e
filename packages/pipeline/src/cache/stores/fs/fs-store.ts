import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { hashArtifact, listFiles } from '../../digest.ts';
import { snapshotMatches, writeSnapshot } from '../../stat-snapshot.ts';
import type { EntryMeta, PendingEntry, Store, StoreEntry } from '../../store.ts';

/**
 * Content-addressed store (default `<workspace>/.tunekit`, `TUNEKIT_HOME` overrides):
 *
 *     objects/<key[0..2]>/<key>/{meta.json, stat.json, outputs/<name>/...}   committed entries (read-only outputs)
 *     tmp/<key>.<host>-<pid>.<random>/                            entries being written
 *     collections/<digest>/                                       gathered matrix outputs (symlinks)
 *     scratch/<key>/                                              per-key scratch (survives a kill)
 *     runs/<run-id>.json   logs/<run-id>/<stage>.log              run records and stage logs
 *     locks/                                                      per-key locks, active runs
 */
export class FsStore implements Store {
  /** Pending entries (by dir) whose key already had an entry when they were created: a forced rerun, which replaces it. */
  private readonly replacing = new Set<string>();

  constructor(readonly root: string) {}

  get location(): string {
    return this.root;
  }

  static resolveRoot(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): string {
    return env.TUNEKIT_HOME ? env.TUNEKIT_HOME : join(workspaceRoot, '.tunekit');
  }

  entryDir(key: string): string {
    return join(this.root, 'objects', key.slice(0, 2), key);
  }

  outputPath(key: string, output: string): string {
    return join(this.entryDir(key), 'outputs', output);
  }

  scratchDir(key: string): string {
    return join(this.root, 'scratch', key);
  }

  logsDir(runId: string): string {
    return join(this.root, 'logs', runId);
  }

  get runsDir(): string {
    return join(this.root, 'runs');
  }

  async lookup(key: string): Promise<StoreEntry | undefined> {
    const dir = this.entryDir(key);
    try {
      const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as EntryMeta;
      return { key, dir, meta };
    } catch {
      return undefined;
    }
  }

  async readMeta(key: string): Promise<EntryMeta | undefined> {
    return (await this.lookup(key))?.meta;
  }

  /**
   * Re-hash every output of an entry; returns one line per mismatch (empty: intact). With
   * `trustStat`, an entry whose files still match their `stat.json` snapshot is taken as intact
   * without re-hashing, and a full check that passes records a fresh snapshot (see stat-snapshot.ts).
   */
  async verify(entry: StoreEntry, options: { trustStat?: boolean } = {}): Promise<string[]> {
    const outputs = Object.keys(entry.meta.outputs);
    if (options.trustStat && (await snapshotMatches(entry.dir, outputs))) return [];
    const problems = await this.rehash(entry);
    if (options.trustStat && problems.length === 0) await writeSnapshot(entry.dir, outputs).catch(() => undefined);
    return problems;
  }

  private async rehash(entry: StoreEntry): Promise<string[]> {
    const problems: string[] = [];
    for (const [name, expected] of Object.entries(entry.meta.outputs)) {
      const dir = join(entry.dir, 'outputs', name);
      if (!existsSync(dir)) {
        problems.push(`output "${name}" is missing`);
        continue;
      }
      const actual = await hashArtifact(dir);
      if (actual !== expected) problems.push(`output "${name}" digest ${actual.slice(0, 12)} != recorded ${expected.slice(0, 12)}`);
    }
    return problems;
  }

  async createPending(key: string, outputs: string[]): Promise<PendingEntry> {
    const dir = join(this.root, 'tmp', tempName(key));
    for (const name of outputs) await mkdir(join(dir, 'outputs', name), { recursive: true });
    await mkdir(dir, { recursive: true });
    if (existsSync(this.entryDir(key))) this.replacing.add(dir);
    return { key, dir, outputDir: (name) => join(dir, 'outputs', name) };
  }

  async discard(pending: PendingEntry): Promise<void> {
    this.replacing.delete(pending.dir);
    await rm(pending.dir, { recursive: true, force: true });
  }

  /**
   * Hash the outputs, write meta.json, make files read-only and rename the directory into place
   * (atomic on one file system). An entry that existed when the pending one was created is
   * replaced (forced reruns); one that another writer committed meanwhile (another machine, a
   * job retried while its first worker still ran) wins, and this one is discarded.
   */
  async commit(pending: PendingEntry, meta: Omit<EntryMeta, 'outputs'>): Promise<StoreEntry> {
    return this.install(pending, { ...meta, outputs: await hashOutputs(pending.dir) });
  }

  /**
   * Put a pending entry whose output digests are already known (`meta.outputs`) into place:
   * meta.json, read-only files, rename. The S3 store installs its downloads and uploads this way.
   */
  async install(pending: PendingEntry, full: EntryMeta): Promise<StoreEntry> {
    const outputsDir = join(pending.dir, 'outputs');
    const names = existsSync(outputsDir) ? await readdir(outputsDir) : [];
    await writeFile(join(pending.dir, 'meta.json'), JSON.stringify(full, null, 2) + '\n');
    for (const name of names) {
      for (const file of await listFiles(join(outputsDir, name))) {
        await chmod(join(outputsDir, name, file), 0o444).catch(() => undefined);
      }
    }
    const target = this.entryDir(pending.key);
    await mkdir(join(target, '..'), { recursive: true });
    const replace = this.replacing.delete(pending.dir);
    if (existsSync(target) && replace) {
      const trash = join(this.root, 'tmp', tempName(`trash.${pending.key}`));
      await rename(target, trash).catch(() => undefined);
      await rename(pending.dir, target);
      await rm(trash, { recursive: true, force: true });
    } else {
      try {
        await rename(pending.dir, target);
      } catch (error) {
        // Another writer's entry for this key is in place (rename onto a non-empty directory fails).
        const code = (error as NodeJS.ErrnoException).code;
        const existing = code === 'ENOTEMPTY' || code === 'EEXIST' ? await this.lookup(pending.key) : undefined;
        if (!existing) throw error;
        await rm(pending.dir, { recursive: true, force: true });
        return existing;
      }
    }
    // After the rename, so the snapshot describes the files where they now live.
    await writeSnapshot(target, names).catch(() => undefined);
    return { key: pending.key, dir: target, meta: full };
  }

  /** Remove an entry (atomically: renamed away first, then deleted). */
  async remove(key: string): Promise<void> {
    const target = this.entryDir(key);
    if (!existsSync(target)) return;
    const trash = join(this.root, 'tmp', tempName(`trash.${key}`));
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    await rename(target, trash).catch(() => undefined);
    await rm(trash, { recursive: true, force: true });
  }

  async listEntries(): Promise<StoreEntry[]> {
    const objects = join(this.root, 'objects');
    if (!existsSync(objects)) return [];
    const entries: StoreEntry[] = [];
    for (const prefix of (await readdir(objects)).sort()) {
      for (const key of (await readdir(join(objects, prefix))).sort()) {
        const entry = await this.lookup(key);
        if (entry) entries.push(entry);
      }
    }
    return entries;
  }

  /**
   * Wait for exclusive use of one cache key (another run computing the same stage finishes first).
   * proper-lockfile: an mkdir lock refreshed every 2 s while held, considered stale 20 s after
   * its holder died. Waiting stops (with an error) when `signal` aborts.
   */
  async lockKey(key: string, signal?: AbortSignal): Promise<() => Promise<void>> {
    const dir = join(this.root, 'locks');
    await mkdir(dir, { recursive: true });
    // Loaded on first use: a fully cached run never locks anything.
    const { default: lockfile } = await import('proper-lockfile');
    for (let wait = 50; ; wait = Math.min(500, wait * 1.5)) {
      try {
        return await lockfile.lock(join(dir, key), {
          realpath: false,
          stale: 20_000,
          update: 2_000,
          onCompromised: (error) => process.emitWarning(`cache lock for ${key.slice(0, 12)} compromised: ${error.message}`),
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
        if (signal?.aborted) throw new Error('interrupted while waiting for another run to finish this stage');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** Materialise a collection input: manifest + one symlink per gathered artifact, addressed by its digest. */
  async collectionDir(digest: string, items: { stageId: string; coords: Record<string, unknown>; dir: string; digest: string }[]): Promise<string> {
    const target = join(this.root, 'collections', digest);
    if (existsSync(target)) return target;
    const temp = join(this.root, 'tmp', tempName(`collection.${digest}`));
    await mkdir(temp, { recursive: true });
    const manifest = { kind: 'collection', schemaVersion: 1, items: items.map((item, i) => ({ name: `${i}`, stageId: item.stageId, coords: item.coords, digest: item.digest })) };
    await writeFile(join(temp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    // Relative links (both ends live in the store), so a moved store keeps working.
    for (const [i, item] of items.entries()) await symlink(relative(target, item.dir), join(temp, `${i}`));
    await mkdir(join(target, '..'), { recursive: true });
    await rename(temp, target).catch(async () => rm(temp, { recursive: true, force: true }));
    return target;
  }

  /** Register a running pipeline (so `cache gc` does not delete what it is using). */
  async registerActiveRun(runId: string): Promise<() => Promise<void>> {
    const dir = join(this.root, 'locks', 'active');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${runId}.pid`);
    await writeFile(file, `${process.pid} ${hostname()}`);
    return async () => rm(file, { force: true });
  }

  async close(): Promise<void> {}

  async activeRuns(): Promise<{ runId: string; pid: number }[]> {
    const dir = join(this.root, 'locks', 'active');
    if (!existsSync(dir)) return [];
    const active: { runId: string; pid: number }[] = [];
    for (const name of await readdir(dir)) {
      // `<pid> <host>` (older stores: `<pid>`, this host). Another machine's runs cannot be checked from here: active.
      const [pidText, host = hostname()] = (await readFile(join(dir, name), 'utf8').catch(() => 'NaN')).trim().split(' ');
      const pid = Number(pidText);
      if (Number.isInteger(pid) && (host !== hostname() || isAlive(pid))) active.push({ runId: name.replace(/\.pid$/, ''), pid });
      else await rm(join(dir, name), { force: true });
    }
    return active;
  }

  /**
   * Remove temp directories left by processes of this machine that no longer exist. The store may
   * be shared by several machines: another host's temp directory is only removed once it has
   * not changed for a day (its pid means nothing here).
   */
  async cleanStaleTemp(): Promise<number> {
    const dir = join(this.root, 'tmp');
    if (!existsSync(dir)) return 0;
    let removed = 0;
    for (const name of await readdir(dir)) {
      const owner = tempOwner(name);
      const stale = owner.host === hostname() ? !Number.isInteger(owner.pid) || !isAlive(owner.pid) : Date.now() - ((await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0) > FOREIGN_TEMP_MS;
      if (stale) {
        await rm(join(dir, name), { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }
}

/** How long another machine's temp directory may sit unchanged before any machine removes it. */
const FOREIGN_TEMP_MS = 24 * 3600 * 1000;

/** Host names go into temp names with their dots and dashes replaced (`<base>.<host>-<pid>.<random>`). */
function hostTag(): string {
  return hostname().replace(/[.\-]/g, '_');
}

/** A unique temp name that says which machine and process writes it. */
function tempName(base: string): string {
  return `${base}.${hostTag()}-${process.pid}.${randomBytes(4).toString('hex')}`;
}

/** Which machine and process a temp name belongs to (a name without a host is from an older store: this host). */
function tempOwner(name: string): { host: string; pid: number } {
  const owner = name.split('.').at(-2) ?? '';
  const dash = owner.lastIndexOf('-');
  if (dash < 0) return { host: hostname(), pid: Number(owner) };
  return { host: owner.slice(0, dash) === hostTag() ? hostname() : owner.slice(0, dash), pid: Number(owner.slice(dash + 1)) };
}

/** Artifact digest of each output directory of a pending entry (`<dir>/outputs/<name>/`). */
export async function hashOutputs(entryDir: string): Promise<Record<string, string>> {
  const outputsDir = join(entryDir, 'outputs');
  const names = existsSync(outputsDir) ? await readdir(outputsDir) : [];
  const outputs: Record<string, string> = {};
  for (const name of names.sort()) outputs[name] = await hashArtifact(join(outputsDir, name));
  return outputs;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

