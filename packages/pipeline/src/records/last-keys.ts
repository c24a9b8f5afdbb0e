/**
 * The key each stage had in its last run, with the components it was hashed from:
 * `<store>/last-keys/<pipeline name>/<stage id>.json` (names URI-encoded). What `tunekit status`
 * and `tunekit run` compare against to say which part of a key changed. One small file per stage,
 * read only when that stage misses the cache; the last run to finish a stage wins.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheKeyComponents } from '../cache/cache-key.ts';

export interface LastKey {
  pipeline: string;
  stageId: string;
  key: string;
  components: CacheKeyComponents;
  /** How that run ended for the stage. */
  status: 'ran' | 'cached' | 'failed';
  runId: string;
  at: string;
}

export function lastKeyFile(storeRoot: string, pipeline: string, stageId: string): string {
  return join(storeRoot, 'last-keys', encodeURIComponent(pipeline), `${encodeURIComponent(stageId)}.json`);
}

export async function readLastKey(storeRoot: string, pipeline: string, stageId: string): Promise<LastKey | undefined> {
  const file = lastKeyFile(storeRoot, pipeline, stageId);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LastKey;
  } catch {
    return undefined; // unreadable: treated as never run, rewritten by the next run
  }
}

export async function writeLastKey(storeRoot: string, entry: LastKey): Promise<void> {
  const file = lastKeyFile(storeRoot, entry.pipeline, entry.stageId);
  await mkdir(join(file, '..'), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(entry, null, 2) + '\n');
  await rename(temp, file);
}
