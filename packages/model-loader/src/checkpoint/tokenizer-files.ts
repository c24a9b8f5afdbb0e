import { copyFile, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Tokenizer files of a HF model folder that travel with the model. */
export const TOKENIZER_FILES = ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'] as const;

export async function existingTokenizerFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of TOKENIZER_FILES) {
    if (await access(join(dir, file)).then(() => true, () => false)) found.push(file);
  }
  return found;
}

/** Copy the tokenizer files `from` has into `to` (byte for byte); returns the names copied. */
export async function copyTokenizerFiles(from: string, to: string): Promise<string[]> {
  if (resolve(from) === resolve(to)) return existingTokenizerFiles(to);
  const files = await existingTokenizerFiles(from);
  for (const file of files) await copyFile(join(from, file), join(to, file));
  return files;
}
