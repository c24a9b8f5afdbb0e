import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Cache-key data for a model source, computed without loading tfjs or touching the network:
 * the digest of the folder's files for local and builtin sources (and for a cached hf: download);
 * for an hf: source not downloaded yet, the reference itself.
 */
export async function sourceFingerprint(source: string, env: { pipelineDir: string; workspaceRoot: string }): Promise<Record<string, unknown>> {
  const { digestFolder } = await import('../sources/digest.ts');
  let dir: string;
  if (source.startsWith('hf:')) {
    const { parseHubReference, hubCacheDir } = await import('../sources/hf-hub.ts');
    const { defaultHubCache } = await import('../sources/resolve-source.ts');
    dir = hubCacheDir(parseHubReference(source.slice(3)), defaultHubCache(env.workspaceRoot));
    if (!(await stat(join(dir, 'model.safetensors')).then(() => true, () => false))) return { source, sourceDigest: null };
  } else if (source.startsWith('builtin:')) {
    dir = join(env.workspaceRoot, 'models', source.slice('builtin:'.length));
  } else {
    dir = resolve(env.pipelineDir, source);
  }
  const exists = await stat(dir).then((s) => s.isDirectory(), () => false);
  // A missing source fails in run() with the full message; the key only needs to be stable.
  return { source, sourceDigest: exists ? await digestFolder(dir) : null };
}
