import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DataError } from '../errors/data-error.ts';

const gunzipAsync = promisify(gunzip);

/** Largest text a gzip input may expand to (a gzip bomb fails with a DataError instead of filling memory). */
export const MAX_GUNZIPPED_BYTES = 1 << 30;

/**
 * Read a UTF-8 text input, turning "no such file" into a DataError naming it. A `.gz` file is
 * decompressed first. BOM and CRLF are normalised.
 */
export async function readTextInput(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(path, undefined, code === 'ENOENT' ? 'file not found' : `cannot read file (${(error as Error).message})`);
  }
  if (path.endsWith('.gz')) {
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: MAX_GUNZIPPED_BYTES });
    } catch (error) {
      throw new DataError(path, undefined, `not a valid gzip file (${(error as Error).message})`);
    }
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
