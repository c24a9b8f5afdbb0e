/**
 * Which store a command works on, and opening it. The location is, first found:
 * `--store <location>`, `TUNEKIT_STORE`, the pipeline file's `store:`, else the directory
 * `TUNEKIT_HOME`, else `<workspace>/.tunekit`. A location is a directory (relative to the current
 * directory) or `s3://bucket/prefix`.
 */
import { resolve } from 'node:path';
import type { Store } from './store.ts';
import { StoreError } from './store-error.ts';
import { FsStore } from './stores/fs/fs-store.ts';

export interface OpenStoreOptions {
  workspaceRoot: string;
  /** Base of a relative directory location (default: process.cwd()). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** The location to open: `explicit` (--store), else TUNEKIT_STORE, else the pipeline's `store:`. */
export function storeLocation(explicit: string | undefined, pipelineStore?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return explicit || env.TUNEKIT_STORE || pipelineStore || undefined;
}

export function isRemoteLocation(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

/** Open a store; an S3 store is checked (bucket reachable) before this returns, or a StoreError is thrown. */
export async function openStore(location: string | undefined, options: OpenStoreOptions): Promise<Store> {
  const env = options.env ?? process.env;
  const localRoot = FsStore.resolveRoot(options.workspaceRoot, env);
  if (!location) return new FsStore(localRoot);
  if (location.startsWith('s3://')) {
    // Loaded on first use: the AWS SDK costs ~0.3 s to import, and most runs use the fs store.
    const { S3Store } = await import('./stores/s3/s3-store.ts');
    return S3Store.open(location, { localRoot, env });
  }
  if (isRemoteLocation(location)) throw new StoreError(`unsupported store "${location}": expected a directory or s3://bucket/prefix`);
  return new FsStore(resolve(options.cwd ?? process.cwd(), location));
}
