/**
 * What a committed entry's output files looked like on disk — path, size, mtime, ctime, inode —
 * recorded in `stat.json` next to `meta.json`. A cache hit whose files all still match is restored
 * without re-hashing its outputs; any difference (a file written, replaced, added or removed, the
 * store copied elsewhere) falls back to the full sha256 check, which then records a fresh snapshot.
 * The trade-off git's index and make also make: a write that restores mtime AND ctime AND size AND
 * inode goes unseen (ctime cannot be set from user space). `tunekit cache verify` and
 * `tunekit run --verify-outputs` always re-hash.
 */
import { lstat, readFile, rename, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { listFiles } from './digest.ts';

export const STAT_FILE = 'stat.json';

/** [relative path, size, mtimeMs, ctimeMs, inode] of one file or symlink. */
export type FileStat = [string, number, number, number, number];
/** Output name → its files' stats, in listFiles order. */
export type StatSnapshot = Record<string, FileStat[]>;

async function statFiles(dir: string): Promise<FileStat[]> {
  const stats: FileStat[] = [];
  for (const file of await listFiles(dir)) {
    const info = await lstat(join(dir, file));
    stats.push([file, info.size, info.mtimeMs, info.ctimeMs, info.ino]);
  }
  return stats;
}

/** Snapshot every output of the entry in `entryDir` (outputs/<name>/...). */
export async function takeSnapshot(entryDir: string, outputs: string[]): Promise<StatSnapshot> {
  const snapshot: StatSnapshot = {};
  for (const name of [...outputs].sort()) snapshot[name] = await statFiles(join(entryDir, 'outputs', name));
  return snapshot;
}

/** Write `stat.json` atomically (temp file + rename: concurrent runs may both refresh it). */
export async function writeSnapshot(entryDir: string, outputs: string[]): Promise<void> {
  const snapshot = await takeSnapshot(entryDir, outputs);
  const temp = join(entryDir, `.${STAT_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await writeFile(temp, JSON.stringify(snapshot) + '\n');
  await rename(temp, join(entryDir, STAT_FILE));
}

/** True when `stat.json` exists and every output's files are exactly as recorded. */
export async function snapshotMatches(entryDir: string, outputs: string[]): Promise<boolean> {
  let recorded: StatSnapshot;
  try {
    recorded = JSON.parse(await readFile(join(entryDir, STAT_FILE), 'utf8')) as StatSnapshot;
  } catch {
    return false;
  }
  const names = [...outputs].sort();
  if (Object.keys(recorded).sort().join('\n') !== names.join('\n')) return false;
  try {
    const current = await takeSnapshot(entryDir, names);
    return JSON.stringify(current) === JSON.stringify(Object.fromEntries(names.map((n) => [n, recorded[n]])));
  } catch {
    return false;
  }
}
