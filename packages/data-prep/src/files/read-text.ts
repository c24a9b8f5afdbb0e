import { readFile } from 'node:fs/promises';
import { DataError } from '../errors/data-error.ts';

/** Read a UTF-8 text input, turning "no such file" into a DataError naming it. BOM and CRLF are normalised. */
export async function readTextInput(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(path, undefined, code === 'ENOENT' ? 'file not found' : `cannot read file (${(error as Error).message})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
