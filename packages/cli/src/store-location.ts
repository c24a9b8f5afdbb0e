import { resolve } from 'node:path';
import { Store, findWorkspaceRoot } from '@tunekit/pipeline/engine';

/** The store a command works on: `--store`, else TUNEKIT_HOME, else `<workspace>/.tunekit`. */
export function openStore(cwd: string, explicit?: string): Store {
  return new Store(explicit ? resolve(cwd, explicit) : Store.resolveRoot(findWorkspaceRoot(cwd)));
}
