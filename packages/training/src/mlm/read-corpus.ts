/**
 * Read a `corpus` artifact (data-prep/corpus: `manifest.json` with `splits.<name>.file`, documents
 * separated by one blank line). Small reader of our own because data-prep does not export its
 * `readCorpusArtifact` from the package index yet.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readManifest } from '@tunekit/pipeline';

export async function readCorpusSplits(dir: string): Promise<Record<string, string[]>> {
  const manifest = await readManifest<{ kind: string; schemaVersion: number; splits: Record<string, { file: string }> }>(dir, 'corpus');
  const splits: Record<string, string[]> = {};
  for (const [name, split] of Object.entries(manifest.splits)) {
    const text = await readFile(join(dir, split.file), 'utf8');
    splits[name] = text.split(/\n[ \t]*\n/).map((d) => d.trim()).filter((d) => d.length > 0);
  }
  return splits;
}
