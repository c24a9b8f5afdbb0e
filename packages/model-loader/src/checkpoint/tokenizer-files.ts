import { access, copyFile, readFile } from 'node:fs/promises';
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

/** Vocabulary size and [PAD] id of a tokenizer folder (tokenizer.json, else vocab.txt). */
export async function tokenizerVocabulary(dir: string): Promise<{ vocabSize: number; padId: number | undefined; source: string }> {
  const jsonPath = join(dir, 'tokenizer.json');
  const json = await readFile(jsonPath, 'utf8').catch(() => undefined);
  if (json !== undefined) {
    let parsed: { model?: { vocab?: unknown }; added_tokens?: Array<{ id: number; content: string }> };
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new Error(`${jsonPath}: not valid JSON (${(error as Error).message})`);
    }
    const vocab = parsed.model?.vocab;
    if (!vocab || typeof vocab !== 'object' || Array.isArray(vocab)) throw new Error(`${jsonPath}: expected a WordPiece/BPE "model.vocab" object (token → id)`);
    const ids = new Map<string, number>(Object.entries(vocab as Record<string, number>));
    for (const token of parsed.added_tokens ?? []) ids.set(token.content, token.id);
    return { vocabSize: Math.max(...ids.values()) + 1, padId: ids.get('[PAD]') ?? ids.get('<pad>'), source: jsonPath };
  }
  const vocabPath = join(dir, 'vocab.txt');
  const text = await readFile(vocabPath, 'utf8').catch(() => {
    throw new Error(`${dir}: no tokenizer.json or vocab.txt (a tokenizer artifact needs one of them)`);
  });
  const tokens = text.split('\n');
  if (tokens[tokens.length - 1] === '') tokens.pop();
  const pad = tokens.indexOf('[PAD]');
  return { vocabSize: tokens.length, padId: pad >= 0 ? pad : undefined, source: vocabPath };
}
