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

async function hashFileInto(hash: Hash, path: string, buffer: Buffer): Promise<void> {
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/** sha256 of one file's content (hex). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, path, Buffer.allocUnsafe(CHUNK));
  return hash.digest('hex');
}

/**
 * Artifact digest: sha256 over, for each file in sorted relative-path order, the path, its byte
 * length and its content (symlinks: their target text). Empty directories do not count.
 * Files are streamed through one reusable buffer (never loaded whole).
 */
export async function hashArtifact(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (const file of await listFiles(dir)) {
    const path = join(dir, file);
    const info = await lstat(path);
    if (info.isSymbolicLink()) {
      hash.update(`link\0${file}\0${await readlink(path)}\0`);
      continue;
    }
    hash.update(`file\0${file}\0${info.size}\0`);
    await hashFileInto(hash, path, buffer);
  }
  return hash.digest('hex');
}

/** Digest of a file or a directory, whichever `path` is. */
export async function hashPath(path: string): Promise<string> {
  const info = await lstat(path);
  return info.isDirectory() ? `dir:${await hashArtifact(path)}` : `file:${await hashFile(path)}`;
}
