import { resolve } from 'node:path';
import { findWorkspaceRoot, FsStore, isRemoteLocation, openStore, type Store } from '@tunekit/pipeline/engine';

/**
 * The store a command works on, first found: `--store <dir|s3://bucket/prefix>`, `TUNEKIT_STORE`,
 * the pipeline file's `store:` (a directory relative to the file), else the directory
 * `TUNEKIT_HOME`, else `<workspace>/.tunekit`. An S3 store is checked before this returns (an
 * unreachable endpoint or missing bucket is a StoreError: exit 2). Close it when done.
 */
export async function openCommandStore(cwd: string, explicit?: string, pipeline?: { store?: string; dir: string; workspaceRoot: string }): Promise<Store> {
  const workspaceRoot = pipeline?.workspaceRoot ?? findWorkspaceRoot(cwd);
  const chosen = explicit || process.env.TUNEKIT_STORE;
  if (chosen) return openStore(chosen, { workspaceRoot, cwd });
  return openStore(pipeline?.store, { workspaceRoot, cwd: pipeline?.dir ?? cwd });
}

/** Run `body` with the command's store open, and close it afterwards. */
export async function withStore<T>(store: Store, body: (store: Store) => Promise<T>): Promise<T> {
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/**
 * The local directory holding run records and logs (`show`, `runs`, `predict`), without opening a
 * remote store: for an S3 store it is this machine's `TUNEKIT_HOME` / `<workspace>/.tunekit`.
 */
export function recordsStore(cwd: string, explicit?: string): FsStore {
  const chosen = explicit || process.env.TUNEKIT_STORE;
  const root = chosen && !isRemoteLocation(chosen) ? resolve(cwd, chosen) : FsStore.resolveRoot(findWorkspaceRoot(cwd));
  return new FsStore(root);
}
