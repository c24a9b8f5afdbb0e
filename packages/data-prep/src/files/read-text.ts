import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { firstInvalidUtf8 } from '@tunekit/pipeline/sdk';
import { DataError } from '../errors/data-error.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.ts';

export { DEFAULT_READ_LIMITS, READ_LIMIT_PARAMS, readLimits, type ReadLimits } from './read-limits.ts';

const gunzipAsync = promisify(gunzip);

/**
 * Read a text input strictly. Only a regular file is read (a symlink to one is fine): a directory,
 * FIFO, socket or device (`/dev/zero`) and a symlink loop are DataErrors, and a FIFO never blocks
 * (opened with O_NONBLOCK, type checked on the open handle). A `.gz` file is decompressed within
 * the same size limit. The text must be UTF-8 (a UTF-8 BOM is dropped) or UTF-16 with a BOM
 * (decoded); invalid UTF-8 (Latin-1 bytes, truncated sequences) is a DataError at `file:line` with
 * the byte offset, never replaced by U+FFFD; so is a NUL character, and a line longer than
 * `limits.maxLineLength`. CRLF and CR line ends become LF.
 */
export async function readTextInput(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<string> {
  let bytes: Uint8Array = await readRegularFile(path, limits.maxBytes);
  if (path.endsWith('.gz')) {
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: limits.maxBytes });
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new DataError(path, undefined, tooLarge ? `decompresses to more than ${limitText(limits)} (raise max_file_mb to read it)` : `not a valid gzip file (${(error as Error).message})`);
    }
  }
  const text = decodeStrict(bytes, path);
  const nul = text.indexOf('\0');
  if (nul >= 0) throw new DataError(path, lineOfIndex(text, nul), `NUL character at byte offset ${byteOffsetOfIndex(bytes, text, nul)}: expected text (is this a binary file?)`);
  checkLineLength(text, path, limits.maxLineLength);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

async function readRegularFile(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'ELOOP' ? 'cannot read file (symlink loop)' : `cannot read file (${(error as Error).message})`;
    throw new DataError(path, undefined, reason);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      const kind = info.isDirectory() ? 'a directory' : info.isFIFO() ? 'a FIFO' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : info.isSocket() ? 'a socket' : 'a special file';
      throw new DataError(path, undefined, `expected a regular file, found ${kind}`);
    }
    if (info.size > maxBytes) {
      throw new DataError(path, undefined, `file is ${info.size} bytes, over the ${limitText({ maxBytes })} limit (raise max_file_mb to read it)`);
    }
    const bytes = new Uint8Array(info.size);
    let read = 0;
    while (read < bytes.length) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return bytes.subarray(0, read);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(path, undefined, `cannot read file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    await handle.close();
  }
}

function limitText(limits: { maxBytes: number }): string {
  return `${+(limits.maxBytes / (1024 * 1024)).toFixed(3)} MiB`;
}

/** UTF-8 (BOM dropped), or UTF-16 LE/BE when a BOM says so; anything else is a DataError at the first bad byte. */
function decodeStrict(bytes: Uint8Array, path: string): string {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) {
    try {
      return new TextDecoder(utf16, { fatal: true }).decode(bytes); // drops the BOM
    } catch {
      throw new DataError(path, undefined, `invalid ${utf16.toUpperCase()} (the file starts with a UTF-16 byte-order mark but does not decode: odd length or an unpaired surrogate)`);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes); // drops a UTF-8 BOM
  } catch {
    const offset = firstInvalidUtf8(bytes);
    throw new DataError(
      path,
      lineOfByte(bytes, offset),
      `invalid UTF-8 at byte offset ${offset} (byte 0x${bytes[offset]!.toString(16).padStart(2, '0')}): expected UTF-8 text (or UTF-16 with a byte-order mark); convert it, e.g. iconv -f latin1 -t utf-8`,
    );
  }
}

function checkLineLength(text: string, path: string, maxLineLength: number): void {
  if (text.length <= maxLineLength) return;
  let start = 0;
  let line = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > maxLineLength) {
      throw new DataError(path, line, `line is ${end - start} characters long, over max_line_length ${maxLineLength} (a binary or one-line file? raise max_line_length if it is meant)`);
    }
    start = end + 1;
    line++;
  }
}


function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

function lineOfIndex(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Byte offset (in the decoded bytes) of the character at `index`: exact for UTF-8, 2 bytes a code unit for UTF-16. */
function byteOffsetOfIndex(bytes: Uint8Array, text: string, index: number): number {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) return 2 + index * 2;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bom + Buffer.byteLength(text.slice(0, index), 'utf8');
}
