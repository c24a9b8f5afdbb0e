/**
 * An S3 entry's manifest: the entry's meta.json (same fields as the fs store's) plus, for each
 * output, its files — path, size and sha256 (the blob it is stored as), or a symlink's target.
 * The artifact digest in `meta.outputs` is digest.ts's, computed from the same files, so a
 * downloaded entry is checked twice: every blob by its sha256, every output by its digest.
 */
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFile, listFiles } from '../../digest.ts';
import type { EntryMeta } from '../../store.ts';

export const MANIFEST_FORMAT = 1;

export type ManifestFile = { path: string; size: number; sha256: string } | { path: string; link: string };

export interface EntryManifest {
  format: number;
  meta: EntryMeta;
  /** Output name → its files in listFiles order. */
  files: Record<string, ManifestFile[]>;
}

/** The files of every output under `<entryDir>/outputs/`, each hashed (sha256). */
export async function describeOutputs(entryDir: string, outputs: string[]): Promise<Record<string, ManifestFile[]>> {
  const files: Record<string, ManifestFile[]> = {};
  for (const name of [...outputs].sort()) {
    const dir = join(entryDir, 'outputs', name);
    files[name] = [];
    for (const path of await listFiles(dir)) {
      const info = await lstat(join(dir, path));
      files[name].push(info.isSymbolicLink() ? { path, link: await readlink(join(dir, path)) } : { path, size: info.size, sha256: await hashFile(join(dir, path)) });
    }
  }
  return files;
}

/** A relative path that stays inside its output directory. */
function safePath(path: string): boolean {
  return path !== '' && !path.startsWith('/') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Parse and check a manifest's text; throws an Error that says what is wrong with it. */
export function parseManifest(text: string, key: string): EntryManifest {
  const manifest = JSON.parse(text) as EntryManifest;
  if (manifest.format !== MANIFEST_FORMAT) throw new Error(`manifest format ${manifest.format}, expected ${MANIFEST_FORMAT}`);
  if (manifest.meta?.key !== key) throw new Error(`manifest is for key ${String(manifest.meta?.key).slice(0, 12)}`);
  const outputs = Object.keys(manifest.meta.outputs ?? {}).sort();
  if (outputs.join('\n') !== Object.keys(manifest.files ?? {}).sort().join('\n')) throw new Error('manifest files do not list the same outputs as its meta');
  for (const name of outputs) {
    if (!safePath(name)) throw new Error(`output name "${name}" is not a plain name`);
    for (const file of manifest.files[name]!) {
      if (!safePath(file.path)) throw new Error(`file path "${file.path}" leaves its output directory`);
      if (!('link' in file) && !/^[0-9a-f]{64}$/.test(file.sha256)) throw new Error(`file "${file.path}" has no sha256`);
    }
  }
  return manifest;
}
