import { createHash, type Hash } from 'node:crypto';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Read buffer for hashing: large reads keep sha256 (OpenSSL) the bottleneck, not syscalls. */
const CHUNK = 4 * 1024 * 1024;

/** Relative paths (with `/`) of every file and symlink under `dir`, sorted by code unit. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Stream a file into `hash` with two buffers: while OpenSSL hashes one chunk on the main thread,
 * the next is read on libuv's thread pool (overlapping I/O and hashing).
 */
async function hashFileInto(hash: Hash, path: string, buffers: [Buffer, Buffer]): Promise<void> {
  const handle = await open(path, 'r');
  try {
    let current = 0;
    let pending = handle.read(buffers[0], 0, buffers[0].length, null);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const filled = buffers[current]!;
      current ^= 1;
      pending = handle.read(buffers[current]!, 0, buffers[current]!.length, null);
      hash.update(bytesRead === filled.length ? filled : filled.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

function readBuffers(): [Buffer, Buffer] {
  return [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
}

/** sha256 of one file's content (hex). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, path, readBuffers());
  return hash.digest('hex');
}

/**
 * Artifact digest: sha256 over, for each file in sorted relative-path order, the path, its byte
 * length and its content (symlinks: their target text). Empty directories do not count.
 * Files are streamed through one reusable buffer (never loaded whole).
 */
export async function hashArtifact(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const buffers = readBuffers();
  for (const file of await listFiles(dir)) {
    const path = join(dir, file);
    const info = await lstat(path);
    if (info.isSymbolicLink()) {
      hash.update(`link\0${file}\0${await readlink(path)}\0`);
      continue;
    }
    hash.update(`file\0${file}\0${info.size}\0`);
    await hashFileInto(hash, path, buffers);
  }
  return hash.digest('hex');
}

/** Digest of a file or a directory, whichever `path` is. */
export async function hashPath(path: string): Promise<string> {
  const info = await lstat(path);
  return info.isDirectory() ? `dir:${await hashArtifact(path)}` : `file:${await hashFile(path)}`;
}
