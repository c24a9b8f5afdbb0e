import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every artifact directory holds a `manifest.json`: its kind, the schema version of that kind's
 * layout, and kind-specific fields (counts, label set, files). Plain data between stages.
 */
export interface ArtifactManifest {
  kind: string;
  schemaVersion: number;
  [field: string]: unknown;
}

export const MANIFEST_FILE = 'manifest.json';

export async function writeManifest(dir: string, manifest: ArtifactManifest): Promise<void> {
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}

export async function readManifest<M extends ArtifactManifest = ArtifactManifest>(dir: string, expectedKind?: string): Promise<M> {
  const path = join(dir, MANIFEST_FILE);
  let manifest: M;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as M;
  } catch (error) {
    throw new Error(`${path}: cannot read artifact manifest (${(error as Error).message})`);
  }
  if (expectedKind && manifest.kind !== expectedKind) {
    throw new Error(`${path}: expected an artifact of kind "${expectedKind}", found "${manifest.kind}"`);
  }
  return manifest;
}
