import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ModelFileError } from './model-file-error.ts';

/**
 * Open `path` for reading only if it is a regular file (symlinks to regular files are fine).
 * O_NONBLOCK keeps a FIFO from blocking the open; the type check on the open handle (not a
 * separate stat) leaves no window to swap the file. Directories, FIFOs, sockets and devices
 * (`/dev/zero`), missing files and symlink loops are ModelFileErrors naming `path`.
 */
export async function openRegularFile(path: string, what: string, maxBytes: number): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new ModelFileError(path, `cannot open ${what} (${describeOpenError(error as NodeJS.ErrnoException)})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ModelFileError(path, `${what} must be a regular file, found ${fileKind(info)}`);
    if (info.size > maxBytes) throw new ModelFileError(path, `${what} is ${info.size} bytes, over the ${maxBytes}-byte limit`);
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The whole content of a regular file of at most `maxBytes` bytes. */
export async function readRegularFile(path: string, what: string, maxBytes: number): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path, what, maxBytes);
  try {
    const bytes = new Uint8Array(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(bytes, read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return bytes.subarray(0, read);
  } catch (error) {
    throw new ModelFileError(path, `cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    await handle.close();
  }
}

function describeOpenError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'not found';
    case 'ELOOP':
      return 'symlink loop';
    case 'EACCES':
      return 'permission denied';
    default:
      return error.code ?? error.message;
  }
}

function fileKind(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'a special file';
}
