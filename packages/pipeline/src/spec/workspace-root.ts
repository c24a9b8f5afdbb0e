import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Nearest ancestor (or self) holding `nx.json` or `.git`; the start directory when there is none. */
export function findWorkspaceRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'nx.json')) || existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}
