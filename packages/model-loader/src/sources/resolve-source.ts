import { StageInputError } from '@tunekit/pipeline';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fetchHubModel, parseHubReference, type HubOptions } from './hf-hub.ts';

export type SourceKind = 'local' | 'builtin' | 'hf';

export interface ResolvedSource {
  kind: SourceKind;
  /** Absolute path of the local HF folder. */
  dir: string;
}

export interface ResolveOptions extends Partial<HubOptions> {
  /** Base of relative local paths (default: the current directory; stages pass the pipeline dir). */
  baseDir?: string;
}

/** Folder of the builtin models shipped with the repo. */
export function builtinModelsDir(workspaceRoot: string): string {
  return join(workspaceRoot, 'models');
}

/** Default cache of `hf:` downloads: `TUNEKIT_HF_CACHE` or `<workspace>/.tunekit/hf-cache`. */
export function defaultHubCache(workspaceRoot: string): string {
  return process.env.TUNEKIT_HF_CACHE ?? join(workspaceRoot, '.tunekit', 'hf-cache');
}

/**
 * Turn a model source into a local HF folder:
 * - a folder path (relative to `baseDir`);
 * - `builtin:<name>` → `<workspaceRoot>/models/<name>`;
 * - `hf:<owner>/<name>[@revision]` → the download cache (downloads when missing; needs network).
 */
export async function resolveModelSource(source: string, workspaceRoot: string, options: ResolveOptions = {}): Promise<ResolvedSource> {
  if (source.startsWith('builtin:')) {
    const name = source.slice('builtin:'.length);
    const available = await builtinNames(workspaceRoot);
    if (!/^[\w.-]+$/.test(name) || !available.includes(name)) {
      const list = available.length ? available.join(', ') : `none (no model folders under ${builtinModelsDir(workspaceRoot)})`;
      throw new StageInputError(`${source}: no such builtin model. Available: ${list}`);
    }
    return { kind: 'builtin', dir: join(builtinModelsDir(workspaceRoot), name) };
  }
  if (source.startsWith('hf:')) {
    const reference = parseHubReference(source.slice('hf:'.length));
    const dir = await fetchHubModel(reference, { ...options, cacheDir: options.cacheDir ?? defaultHubCache(workspaceRoot) });
    return { kind: 'hf', dir };
  }
  const dir = resolve(options.baseDir ?? process.cwd(), source);
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new StageInputError(`${source}: model folder not found (${dir}); expected a folder path, builtin:<name> or hf:<owner>/<name>[@revision]`);
  if (!info.isDirectory()) throw new StageInputError(`${source}: ${dir} is a file; a model source is a folder with config.json and model.safetensors`);
  if (!(await stat(join(dir, 'config.json')).then(() => true, () => false))) throw new StageInputError(`${source}: ${dir} has no config.json (not a Hugging Face model folder)`);
  return { kind: 'local', dir };
}

/** Names of the builtin models (folders under models/ with a config.json). */
export async function builtinNames(workspaceRoot: string): Promise<string[]> {
  const root = builtinModelsDir(workspaceRoot);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await stat(join(root, entry.name, 'config.json')).then(() => true, () => false))) names.push(entry.name);
  }
  return names.sort();
}
