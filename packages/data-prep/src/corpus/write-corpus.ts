import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readManifest, writeManifest, type ArtifactManifest } from '@tunekit/pipeline';
import { orderedSplitNames } from '../dataset/write-dataset.ts';

export interface CorpusSplitSummary {
  file: string;
  documents: number;
  lines: number;
  /** Whitespace-separated words. */
  words: number;
  characters: number;
}

export interface CorpusManifest extends ArtifactManifest {
  kind: 'corpus';
  schemaVersion: 1;
  splits: Record<string, CorpusSplitSummary>;
  provenance: Record<string, unknown>;
}

/** Write a `corpus` artifact: `<split>.txt` per split (documents separated by one blank line) + manifest. */
export async function writeCorpus(dir: string, splits: Record<string, string[]>, provenance: Record<string, unknown>): Promise<CorpusManifest> {
  const summaries: Record<string, CorpusSplitSummary> = {};
  for (const name of orderedSplitNames(Object.keys(splits))) {
    const documents = splits[name]!;
    const text = documents.length ? documents.join('\n\n') + '\n' : '';
    await writeFile(join(dir, `${name}.txt`), text);
    summaries[name] = {
      file: `${name}.txt`,
      documents: documents.length,
      lines: documents.reduce((sum, d) => sum + d.split('\n').length, 0),
      words: documents.reduce((sum, d) => sum + d.split(/\s+/).filter(Boolean).length, 0),
      characters: documents.reduce((sum, d) => sum + d.length, 0),
    };
  }
  const manifest: CorpusManifest = { kind: 'corpus', schemaVersion: 1, splits: summaries, provenance };
  await writeManifest(dir, manifest);
  return manifest;
}

/** Read a `corpus` artifact: documents per split. */
export async function readCorpusArtifact(dir: string): Promise<{ manifest: CorpusManifest; splits: Record<string, string[]> }> {
  const manifest = await readManifest<CorpusManifest>(dir, 'corpus');
  const splits: Record<string, string[]> = {};
  for (const [name, summary] of Object.entries(manifest.splits)) {
    const text = await readFile(join(dir, summary.file), 'utf8');
    splits[name] = text.trim() === '' ? [] : text.replace(/\n$/, '').split('\n\n');
  }
  return { manifest, splits };
}
