import { copyFile, lstat, readFile } from 'node:fs/promises';
import { readVocabTxt } from './vocabulary.ts';
import { join, resolve } from 'node:path';
import { ModelFileError } from '../files/model-file-error.ts';

/** Tokenizer files of a HF model folder that travel with the model. */
export const TOKENIZER_FILES = ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'] as const;

/** Tokenizer file names present in `dir` (any directory entry counts, so a broken one is reported when read, not skipped). */
export async function existingTokenizerFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of TOKENIZER_FILES) {
    if (await lstat(join(dir, file)).then(() => true, () => false)) found.push(file);
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

/** Vocabulary size and [PAD] id of a tokenizer folder (tokenizer.json, else vocab.txt). */
export async function tokenizerVocabulary(dir: string): Promise<{ vocabSize: number; padId: number | undefined; source: string }> {
  const jsonPath = join(dir, 'tokenizer.json');
  const json = await readFile(jsonPath, 'utf8').catch(() => undefined);
  if (json !== undefined) {
    let parsed: { model?: { vocab?: unknown }; added_tokens?: Array<{ id: number; content: string }> };
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new ModelFileError(jsonPath, `not valid JSON (${(error as Error).message})`);
    }
    const vocab = parsed.model?.vocab;
    if (!vocab || typeof vocab !== 'object' || Array.isArray(vocab)) throw new ModelFileError(jsonPath, 'expected a WordPiece/BPE "model.vocab" object (token → id)');
    const ids = new Map<string, number>(Object.entries(vocab as Record<string, number>));
    for (const token of parsed.added_tokens ?? []) ids.set(token.content, token.id);
    return { vocabSize: Math.max(...ids.values()) + 1, padId: ids.get('[PAD]') ?? ids.get('<pad>'), source: jsonPath };
  }
  if (!(await existingTokenizerFiles(dir)).includes('vocab.txt')) throw new ModelFileError(dir, 'no tokenizer.json or vocab.txt (a tokenizer artifact needs one of them)');
  const { tokens, path: vocabPath } = await readVocabTxt(dir);
  const pad = tokens.indexOf('[PAD]');
  return { vocabSize: tokens.length, padId: pad >= 0 ? pad : undefined, source: vocabPath };
}
