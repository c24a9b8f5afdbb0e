import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BertConfig } from '../types.ts';
import { parseBertConfig } from './bert-config.ts';

export const CONFIG_FILE = 'config.json';

export async function readBertConfig(dir: string): Promise<BertConfig> {
  const path = join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read model config (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: config is not valid JSON (${(error as Error).message})`);
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
