import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tokenizer } from 'tokenizers';

export interface LoadedTokenizer {
  tokenizer: Tokenizer;
  /** Which file the tokenizer was built from. */
  source: 'tokenizer.json' | 'vocab.txt';
  vocabSize: number;
  clsId: number;
  sepId: number;
  padId: number;
  unkId: number;
  /** Lower-casing in effect when built from vocab.txt (tokenizer.json carries its own normalizer). */
  lowercase?: boolean;
  stripAccents?: boolean;
}

const exists = (path: string) => access(path).then(() => true, () => false);

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  if (!(await exists(path))) return undefined;
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

function firstId(tokenizer: Tokenizer, candidates: string[], what: string, dir: string): number {
  for (const token of candidates) {
    const id = tokenizer.tokenToId(token);
    if (id !== null && id !== undefined) return id;
  }
  throw new Error(`${dir}: the tokenizer has no ${what} token (looked for ${candidates.join(', ')})`);
}

/**
 * Load the tokenizer of a model or tokenizer artifact with Hugging Face `tokenizers`:
 * `tokenizer.json` when present, else a BERT WordPiece tokenizer built by the library from
 * `vocab.txt`, with lower-casing / accent stripping from `tokenizer_config.json` (or `config.json`):
 * `do_lower_case` (default true, like HF's BertTokenizer) and `strip_accents` (default: follows
 * lower-casing, like HF's BertNormalizer). `lowercase` overrides `do_lower_case` for vocab.txt.
 */
export async function loadTokenizer(dir: string, overrides: { lowercase?: boolean | null } = {}): Promise<LoadedTokenizer> {
  const tk = await import('tokenizers');
  const jsonPath = join(dir, 'tokenizer.json');
  const vocabPath = join(dir, 'vocab.txt');
  let tokenizer: Tokenizer;
  let source: LoadedTokenizer['source'];
  let lowercase: boolean | undefined;
  let stripAccents: boolean | undefined;
  if (await exists(jsonPath)) {
    tokenizer = tk.Tokenizer.fromFile(jsonPath);
    source = 'tokenizer.json';
  } else if (await exists(vocabPath)) {
    const config = { ...(await readJson(join(dir, 'config.json'))), ...(await readJson(join(dir, 'tokenizer_config.json'))) };
    lowercase = overrides.lowercase ?? (typeof config.do_lower_case === 'boolean' ? config.do_lower_case : true);
    stripAccents = typeof config.strip_accents === 'boolean' ? config.strip_accents : lowercase;
    const unkToken = typeof config.unk_token === 'string' ? config.unk_token : '[UNK]';
    tokenizer = new tk.Tokenizer(await tk.WordPiece.fromFile(vocabPath, { unkToken }));
    tokenizer.setNormalizer(tk.bertNormalizer({ cleanText: true, handleChineseChars: true, lowercase, stripAccents }));
    tokenizer.setPreTokenizer(tk.bertPreTokenizer());
    tokenizer.setDecoder(tk.wordPieceDecoder('##', true));
    const specials = ['[PAD]', unkToken, '[CLS]', '[SEP]', '[MASK]'].filter((token) => tokenizer.tokenToId(token) !== null);
    tokenizer.addSpecialTokens(specials);
    source = 'vocab.txt';
  } else {
    throw new Error(`${dir}: expected a tokenizer.json or vocab.txt in the tokenizer/model artifact`);
  }
  tokenizer.disableTruncation();
  tokenizer.disablePadding();
  const clsId = firstId(tokenizer, ['[CLS]', '<s>'], 'classification/start', dir);
  const sepId = firstId(tokenizer, ['[SEP]', '</s>'], 'separator/end', dir);
  const padId = firstId(tokenizer, ['[PAD]', '<pad>'], 'padding', dir);
  const unkId = firstId(tokenizer, ['[UNK]', '<unk>'], 'unknown', dir);
  if (source === 'vocab.txt') tokenizer.setPostProcessor(tk.bertProcessing(['[SEP]', sepId], ['[CLS]', clsId]));
  return { tokenizer, source, vocabSize: tokenizer.getVocabSize(true), clsId, sepId, padId, unkId, lowercase, stripAccents };
}
