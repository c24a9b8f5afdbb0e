import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BertConfig } from '../types.ts';
import { ModelFileError } from '../files/model-file-error.ts';
import { readRegularFile } from '../files/read-regular-file.ts';
import { parseBertConfig } from './bert-config.ts';

export const CONFIG_FILE = 'config.json';
/** Largest config.json read (HF configs are a few kB). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Read and validate `<dir>/config.json`: a regular UTF-8 file holding one JSON object (ModelFileError otherwise). */
export async function readBertConfig(dir: string): Promise<BertConfig> {
  const path = join(dir, CONFIG_FILE);
  const bytes = await readRegularFile(path, 'model config', MAX_CONFIG_BYTES);
  if (bytes.byteLength === 0) throw new ModelFileError(path, 'model config is empty (expected a JSON object)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ModelFileError(path, 'model config is not valid UTF-8 text');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(path, `config is not valid JSON (${(error as Error).message})`);
  }
  return parseBertConfig(raw, path);
}

/** HF's own layout: `json.dumps(config, indent=2, sort_keys=True) + "\n"`. Deterministic. */
export function serializeBertConfig(config: BertConfig): string {
  return JSON.stringify(sortKeys(config), null, 2) + '\n';
}

export async function writeBertConfig(dir: string, config: BertConfig): Promise<void> {
  await writeFile(join(dir, CONFIG_FILE), serializeBertConfig(config));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
  }
  return value;
}
