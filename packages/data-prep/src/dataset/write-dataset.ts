import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManifest } from '@tunekit/pipeline';
import { countMentions } from './label-set.ts';
import type { DatasetManifest, SplitSummary, TextExample, TokenExample, WordDataset } from './types.ts';

/** Canonical split order in manifests and files. */
export const SPLIT_ORDER = ['train', 'validation', 'test'];

export function orderedSplitNames(names: Iterable<string>): string[] {
  const rank = (name: string) => (SPLIT_ORDER.includes(name) ? SPLIT_ORDER.indexOf(name) : SPLIT_ORDER.length);
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function summarise(dataset: WordDataset, name: string): SplitSummary {
  const file = `${name}.jsonl`;
  if (dataset.task === 'token-classification') {
    const examples = dataset.splits[name] as TokenExample[];
    return {
      file,
      examples: examples.length,
      tokens: examples.reduce((sum, example) => sum + example.tokens.length, 0),
      mentions: countMentions(examples),
    };
  }
  const examples = dataset.splits[name] as TextExample[];
  const labelCounts: Record<string, number> = Object.fromEntries(dataset.labels.map((label) => [label, 0]));
  for (const example of examples) labelCounts[example.label] = (labelCounts[example.label] ?? 0) + 1;
  return { file, examples: examples.length, labelCounts };
}

/** Write a `dataset` artifact: one JSONL file per split and the manifest (deterministic bytes). */
export async function writeDataset(dir: string, dataset: WordDataset, provenance: Record<string, unknown>): Promise<DatasetManifest> {
  const names = orderedSplitNames(Object.keys(dataset.splits));
  const splits: Record<string, SplitSummary> = {};
  for (const name of names) {
    const examples = dataset.splits[name] as Array<TokenExample | TextExample>;
    const lines = examples.map((example) =>
      JSON.stringify('tokens' in example ? { tokens: example.tokens, tags: example.tags } : { text: example.text, label: example.label }),
    );
    await writeFile(join(dir, `${name}.jsonl`), lines.length ? lines.join('\n') + '\n' : '');
    splits[name] = summarise(dataset, name);
  }
  const manifest: DatasetManifest = {
    kind: 'dataset',
    schemaVersion: 1,
    task: dataset.task,
    labels: dataset.labels,
    ...(dataset.task === 'token-classification' ? { tagScheme: 'IOB2' as const } : {}),
    splits,
    provenance,
  };
  await writeManifest(dir, manifest);
  return manifest;
}
