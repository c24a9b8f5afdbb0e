import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * A file URL inside `parentURL` when it is a directory (`.../`). Node's createRequire accepts a
 * directory URL; Jest's (the engine run in-process by a test) takes it for a file of the parent
 * directory and misses the directory's own node_modules. A file inside it means the same to both.
 */
function resolveFrom(parentURL: string): string {
  return parentURL.endsWith('/') ? new URL('resolve-from.js', parentURL).href : parentURL;
}

/**
 * Import a plugin module (TypeScript or JavaScript) as Node would from `parentURL`.
 * The process already has tsx registered (the CLI's bin and the stage worker's `--import tsx`),
 * so a plain dynamic import transpiles TypeScript. Bare specifiers are resolved from
 * `parentURL` with Node's resolver (`createRequire().resolve`, which honours package `exports`);
 * packages that export ESM-only conditions fall back to tsx's `tsImport(specifier, parentURL)`.
 * (tsImport is not the default: it starts a loader thread per call, ~0.3 s each.)
 * `tag` rewrites the resolved `file:` URL first (a warm stage worker's module generation).
 */
export async function importPluginModule(specifier: string, parentURL: string, tag: (url: string) => string = (url) => url): Promise<Record<string, unknown>> {
  if (specifier.startsWith('file:')) return (await import(tag(specifier))) as Record<string, unknown>;
  let resolved: string | undefined;
  try {
    resolved = createRequire(resolveFrom(parentURL)).resolve(specifier);
  } catch {
    resolved = undefined;
  }
  if (resolved) return (await import(tag(pathToFileURL(resolved).href))) as Record<string, unknown>;
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(specifier, parentURL)) as Record<string, unknown>;
}
