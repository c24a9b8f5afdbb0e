import { StageInputError } from '@tunekit/pipeline';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOKENIZER_FILES } from '../checkpoint/tokenizer-files.ts';

export interface HubOptions {
  /** Where downloads are kept: `<cacheDir>/<owner>--<name>/<revision>/`. */
  cacheDir: string;
  /** Injected for tests; default: global fetch. */
  fetch?: typeof fetch;
  /** Per-file timeout (default 60 s). */
  timeoutMs?: number;
  /** Hub endpoint (default `HF_ENDPOINT` or https://huggingface.co). */
  endpoint?: string;
}

export interface HubReference {
  repo: string;
  revision: string;
}

const REQUIRED_FILES = ['config.json', 'model.safetensors'];

/** Parse `owner/name[@revision]` (the part after `hf:`). */
export function parseHubReference(text: string): HubReference {
  const match = /^([\w.-]+(?:\/[\w.-]+)?)(?:@([\w./-]+))?$/.exec(text);
  if (!match || match[1].includes('..')) throw new StageInputError(`hf:${text}: expected hf:<owner>/<name>[@revision], e.g. hf:dmis-lab/biobert-base-cased-v1.2@main`);
  return { repo: match[1], revision: match[2] ?? 'main' };
}

export function hubCacheDir(reference: HubReference, cacheDir: string): string {
  return join(cacheDir, reference.repo.replace('/', '--'), reference.revision.replace(/\//g, '--'));
}

/**
 * The local folder of a hub model: the cache when it holds a complete download, else a download of
 * config.json, model.safetensors and the tokenizer files there is (written to a temp folder, renamed
 * into place when complete).
 */
export async function fetchHubModel(reference: HubReference, options: HubOptions): Promise<string> {
  const target = hubCacheDir(reference, options.cacheDir);
  if (await isComplete(target)) return target;
  const doFetch = options.fetch ?? globalThis.fetch;
  const endpoint = (options.endpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/$/, '');
  const label = `hf:${reference.repo}@${reference.revision}`;
  const partial = `${target}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    for (const file of [...REQUIRED_FILES, ...TOKENIZER_FILES]) {
      const url = `${endpoint}/${reference.repo}/resolve/${encodeURIComponent(reference.revision)}/${file}`;
      let response: Response;
      try {
        response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 60_000), redirect: 'follow' });
      } catch (error) {
        const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
        throw new Error(
          `${label}: cannot download ${url} (${cause}). There is no network access here? ` +
            `Put the model folder (config.json, model.safetensors, vocab.txt) at ${target} or use a local path or builtin:<name> instead.`,
        );
      }
      if (response.status === 404 && !REQUIRED_FILES.includes(file)) continue;
      if (!response.ok) throw new Error(`${label}: ${url} answered HTTP ${response.status} ${response.statusText}`);
      await writeFile(join(partial, file), new Uint8Array(await response.arrayBuffer()));
    }
    await mkdir(join(target, '..'), { recursive: true });
    await rename(partial, target);
    return target;
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

async function isComplete(dir: string): Promise<boolean> {
  for (const file of REQUIRED_FILES) {
    if (!(await stat(join(dir, file)).then((s) => s.isFile(), () => false))) return false;
  }
  return true;
}
