import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readManifest } from '@tunekit/pipeline';
import type { DatasetManifest, TextExample, TokenExample, WordDataset } from './types.ts';

/** Read a `dataset` artifact written by `writeDataset`. */
export async function readDataset(dir: string): Promise<{ manifest: DatasetManifest; dataset: WordDataset }> {
  const manifest = await readManifest<DatasetManifest>(dir, 'dataset');
  const splits: Record<string, Array<TokenExample | TextExample>> = {};
  for (const [name, summary] of Object.entries(manifest.splits)) {
    const text = await readFile(join(dir, summary.file), 'utf8');
    splits[name] = text.length ? text.trimEnd().split('\n').map((line) => JSON.parse(line)) : [];
  }
  const dataset = { task: manifest.task, labels: manifest.labels, splits } as WordDataset;
  return { manifest, dataset };
}
