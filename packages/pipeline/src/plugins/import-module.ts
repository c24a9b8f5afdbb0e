import { tsImport } from 'tsx/esm/api';

/**
 * Import a plugin module (TypeScript or JavaScript) as Node would from `parentURL`.
 * tsx's `tsImport` resolves the specifier from the given parent and transpiles TypeScript,
 * in the parent process and in stage workers alike.
 */
export async function importPluginModule(specifier: string, parentURL: string): Promise<Record<string, unknown>> {
  return (await tsImport(specifier, parentURL)) as Record<string, unknown>;
}
