/**
 * Crash-safe file primitives for the file store.
 *
 * - Whole-file values (meta.yaml, params, tags) are written to a temp file on the same file
 *   system, then renamed over the target: readers see the old or the new content, never a mix,
 *   even after kill -9 (rename is atomic). fsync before the rename is optional (see the README's
 *   fsync policy).
 * - Metric files are append-only; each call appends whole `\n`-terminated lines with ONE
 *   write() on an O_APPEND descriptor, then fdatasync. A line counts as committed only once its
 *   `\n` is on disk: readers ignore an unterminated tail, and the next append first cuts such a
 *   tail off, so a torn write can never glue two lines together.
 */
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';

/**
 * `tempDir` must be on the same file system; the file store passes the run (or experiment)
 * directory so that a temp file left by a crash is never mistaken for a param or tag by MLflow
 * (MLflow only walks the params/, tags/ and metrics/ folders, and only lists sub-directories).
 */
export function writeFileAtomic(path: string, content: string, tempDir: string = dirname(path), options: { fsync: boolean } = { fsync: true }): void {
  fs.mkdirSync(dirname(path), { recursive: true });
  const temp = join(tempDir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, content);
    if (options.fsync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, path);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Cuts an unterminated last line (left by a write torn by a crash) before appending. */
function dropTornTail(fd: number): void {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return;
  const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const length = end - start;
    fs.readSync(fd, chunk, 0, length, start);
    const newline = chunk.subarray(0, length).lastIndexOf(0x0a);
    if (newline >= 0) {
      fs.ftruncateSync(fd, start + newline + 1);
      return;
    }
    end = start;
  }
  fs.ftruncateSync(fd, 0);
}

export function appendLines(path: string, lines: string[], options: { fsync: boolean } = { fsync: true }): void {
  if (lines.length === 0) return;
  fs.mkdirSync(dirname(path), { recursive: true });
  const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o644);
  try {
    dropTornTail(fd);
    fs.writeSync(fd, lines.map((line) => `${line}\n`).join(''));
    if (options.fsync) fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Committed lines of an append-only file (an unterminated tail is not committed). */
export function readCommittedLines(path: string): string[] {
  const text = fs.readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n');
  if (end < 0) return [];
  return text.slice(0, end).split('\n');
}

export function readTextIfExists(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Files under `dir`, as `/`-joined paths relative to it (what MLflow uses for nested keys). */
export function listFilesRecursive(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(join(dir, sub), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile() && !(entry.name.startsWith('.') && entry.name.endsWith('.tmp'))) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}
