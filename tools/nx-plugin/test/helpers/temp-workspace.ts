/**
 * A temporary copy of this workspace to run generators in without touching the real one: the
 * sources are copied, third-party node_modules are linked entry by entry, and node_modules/@tunekit
 * is a real folder whose links point into the copy (so the copy's engine and packages are the ones
 * that run, and a package generated into the copy resolves only there).
 */
import { cpSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Root files the tools read: workspaces, Nx config, TypeScript and Jest presets. */
const ROOT_FILES = ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'tsconfig.json', 'jest.preset.js'];
/** Folders of workspace packages: copied without their node_modules, which are linked. */
const PACKAGE_PARENTS = ['packages', 'tools'];
/** Never linked: npm's hidden lockfile and tool caches would be written through the link into the real tree. */
const NOT_LINKED = new Set(['@tunekit', '.package-lock.json', '.cache']);

function linkNodeModules(root: string, copy: string): void {
  const real = join(root, 'node_modules');
  mkdirSync(join(copy, 'node_modules', '@tunekit'), { recursive: true });
  for (const entry of readdirSync(real)) {
    if (!NOT_LINKED.has(entry)) symlinkSync(join(real, entry), join(copy, 'node_modules', entry));
  }
  // npm's workspace links are relative (../../packages/cli): the same text points into the copy.
  for (const entry of readdirSync(join(real, '@tunekit'))) {
    symlinkSync(readlinkSync(join(real, '@tunekit', entry)), join(copy, 'node_modules', '@tunekit', entry));
  }
}

function copyPackages(root: string, copy: string): void {
  for (const parent of PACKAGE_PARENTS) {
    cpSync(join(root, parent), join(copy, parent), { recursive: true, filter: (source) => basename(source) !== 'node_modules' });
    for (const name of readdirSync(join(root, parent))) {
      const modules = join(root, parent, name, 'node_modules');
      try {
        readdirSync(modules);
      } catch {
        continue;
      }
      symlinkSync(modules, join(copy, parent, name, 'node_modules'));
    }
  }
}

/** Copy the workspace at `root` into the empty directory `copy`. */
export function copyWorkspace(root: string, copy: string): void {
  for (const file of ROOT_FILES) cpSync(join(root, file), join(copy, file));
  copyPackages(root, copy);
  linkNodeModules(root, copy);
}
