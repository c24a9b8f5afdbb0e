/**
 * Parsed contents of small files (meta.yaml), reused while a file keeps its size, mtime and inode
 * (writes here are temp file + rename, so every write gets a new inode). YAML parsing dominated
 * the file store's reads; another process changing a file is still seen.
 */
import * as fs from 'node:fs';

interface Entry<T> {
  mtimeMs: number;
  size: number;
  ino: number;
  value: T;
}

export class ParsedFileCache<T extends object> {
  private readonly entries = new Map<string, Entry<T>>();

  /** A copy of the cached value when `stat` still describes the file it was parsed from. */
  get(file: string, stat: fs.Stats): T | undefined {
    const entry = this.entries.get(file);
    if (!entry || entry.mtimeMs !== stat.mtimeMs || entry.size !== stat.size || entry.ino !== stat.ino) return undefined;
    return { ...entry.value };
  }

  /** Remember `value` as the content of `file` as it is on disk now. */
  set(file: string, value: T, stat: fs.Stats = fs.statSync(file)): void {
    this.entries.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino, value: { ...value } });
  }
}
