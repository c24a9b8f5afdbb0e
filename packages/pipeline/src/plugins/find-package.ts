import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface PackageInfo {
  name: string;
  version: string;
  dir: string;
}

/**
 * Find `node_modules/<name>/package.json` walking up from `fromDir`, the directories Node searches
 * for a bare specifier. Used to read a plugin package's name and version for the cache key.
 */
export function findPackage(name: string, fromDir: string): PackageInfo | undefined {
  let dir = fromDir;
  for (;;) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      return { name: json.name ?? name, version: json.version ?? '0.0.0', dir: dirname(manifest) };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `data-prep/conll` → `data-prep`; `@scope/pkg/stage` → `@scope/pkg`. */
export function packageNameOf(uses: string): string | undefined {
  const parts = uses.split('/');
  if (uses.startsWith('@')) return parts.length >= 3 ? `${parts[0]}/${parts[1]}` : undefined;
  return parts.length >= 2 ? parts[0] : undefined;
}
