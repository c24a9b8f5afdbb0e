/**
 * Checks of a model folder's tokenizer files before they travel with the model: a `vocab.txt`
 * must be a non-empty regular UTF-8 text file (no BOM, no UTF-16, no NUL or other control bytes)
 * with at most `vocab_size` tokens; a `tokenizer.json` must be a regular file holding JSON.
 */
import { join } from 'node:path';
import { ModelFileError } from '../files/model-file-error.ts';
import { readRegularFile } from '../files/read-regular-file.ts';
import { firstInvalidUtf8, lineOfOffset } from '@tunekit/pipeline/sdk';

/** Largest vocab.txt / tokenizer.json read (bert-base vocab.txt: 232 kB; tokenizer.json: 466 kB). */
export const MAX_TOKENIZER_FILE_BYTES = 64 * 1024 * 1024;

/** The tokens of a vocab.txt (line i = token id i), validated. */
export function parseVocabTxt(bytes: Uint8Array, path: string): string[] {
  const fail = (detail: string): never => {
    throw new ModelFileError(path, detail);
  };
  if (bytes.byteLength === 0) fail('vocab.txt is empty (expected one WordPiece token per line)');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    fail('vocab.txt is UTF-16 (byte-order mark FF FE / FE FF); tokenizers read it as UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8');
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) fail('vocab.txt starts with a UTF-8 byte-order mark, which would become part of token 0; remove it');
  const control = bytes.findIndex((b) => b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  const invalid = firstInvalidUtf8(bytes);
  if (control >= 0 && (invalid < 0 || control < invalid)) {
    fail(`line ${lineOfOffset(bytes, control)}: control byte 0x${bytes[control]!.toString(16).padStart(2, '0')} at byte offset ${control}: vocab.txt is binary, not a text file of tokens`);
  }
  if (invalid >= 0) fail(`line ${lineOfOffset(bytes, invalid)}: invalid UTF-8 at byte offset ${invalid} (byte 0x${bytes[invalid]!.toString(16).padStart(2, '0')}); vocab.txt must be UTF-8`);
  const tokens = new TextDecoder('utf-8', { fatal: true }).decode(bytes).split('\n').map((line) => line.replace(/\r$/, ''));
  if (tokens[tokens.length - 1] === '') tokens.pop();
  if (tokens.every((token) => token.trim() === '')) fail('vocab.txt has no tokens (only blank lines)');
  return tokens;
}

/** Read and validate `<dir>/vocab.txt`. */
export async function readVocabTxt(dir: string): Promise<{ tokens: string[]; path: string }> {
  const path = join(dir, 'vocab.txt');
  return { tokens: parseVocabTxt(await readRegularFile(path, 'vocab.txt', MAX_TOKENIZER_FILE_BYTES), path), path };
}

/**
 * The tokenizer files of a model folder: each present one valid, vocab.txt no longer than the
 * embedding table (`vocabSize`); with `required`, at least one of vocab.txt and tokenizer.json.
 */
export async function checkTokenizerFiles(dir: string, vocabSize: number, present: readonly string[], required: boolean): Promise<void> {
  if (required && !present.includes('vocab.txt') && !present.includes('tokenizer.json')) {
    throw new ModelFileError(join(dir, 'vocab.txt'), 'not found, and there is no tokenizer.json: a model folder needs its tokenizer (vocab.txt or tokenizer.json)');
  }
  if (present.includes('vocab.txt')) {
    const { tokens, path } = await readVocabTxt(dir);
    if (tokens.length > vocabSize) throw new ModelFileError(path, `has ${tokens.length} tokens but config.json vocab_size is ${vocabSize} (token ids past the embedding table)`);
  }
  if (present.includes('tokenizer.json')) {
    const path = join(dir, 'tokenizer.json');
    const bytes = await readRegularFile(path, 'tokenizer.json', MAX_TOKENIZER_FILE_BYTES);
    try {
      const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
    } catch (error) {
      throw new ModelFileError(path, `not a valid tokenizer.json (${(error as Error).message})`);
    }
  }
}
