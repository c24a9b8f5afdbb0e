import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeEntry } from '../cache/code-digest.ts';
import type { StageDefinition } from '../sdk/define-stage.ts';
import { findPackage, packageNameOf } from './find-package.ts';
import { importPluginModule } from './import-module.ts';

const ENGINE_DIR = dirname(fileURLToPath(import.meta.url));

/** How a worker process loads the same stage definition the parent resolved. */
export interface PluginLocator {
  /** Module specifier (package subpath or file URL) and the URL it is resolved from. */
  specifier: string;
  parentURL: string;
  /** The stage id inside the module's `stages` array, or `default` for a default export. */
  stageId: string;
}

export interface ResolvedPlugin {
  kind: 'builtin' | 'package' | 'local' | 'command';
  uses: string;
  definition: StageDefinition<Record<string, unknown>>;
  locator?: PluginLocator;
  /** Cache-key identity of the code: package name + version (local modules: path + content digest). */
  package: { name: string; version: string };
  /** Where the plugin's code is, for the key's `code` component (local files' import graph, package sources). */
  code?: CodeEntry;
}

export class PluginResolutionError extends Error {}

function isLocal(uses: string): boolean {
  return uses.startsWith('./') || uses.startsWith('../') || isAbsolute(uses);
}

/** Accept `export default defineStage(...)` or `export const stages = [...]`. */
function pickStage(module: Record<string, unknown>, stageId: string | undefined, where: string): StageDefinition<Record<string, unknown>> {
  const stages = Array.isArray(module.stages) ? (module.stages as StageDefinition<Record<string, unknown>>[]) : undefined;
  const fallback = module.default as StageDefinition<Record<string, unknown>> | undefined;
  if (stageId && stageId !== 'default') {
    const found = stages?.find((stage) => stage.id === stageId);
    if (!found) {
      const known = stages?.map((stage) => stage.id).join(', ') || 'none';
      throw new PluginResolutionError(`${where} exports no stage "${stageId}" (its stages: ${known})`);
    }
    return found;
  }
  if (fallback && typeof fallback === 'object' && typeof fallback.run === 'function') return fallback;
  if (stages?.length === 1) return stages[0]!;
  throw new PluginResolutionError(`${where} must export a stage: \`export default defineStage(...)\` or \`export const stages = [...]\` (add #<stage-id> to choose one)`);
}

function checkDefinition(definition: StageDefinition<Record<string, unknown>>, where: string): void {
  for (const field of ['id', 'version', 'params', 'inputs', 'outputs', 'run'] as const) {
    if (definition[field] === undefined) throw new PluginResolutionError(`${where}: stage "${definition.id}" has no "${field}"`);
  }
}

/**
 * Resolve `uses:` to a stage definition:
 * - `./x.ts`, `../x.js`, `/abs/x.ts` (optionally `#stage-id`): a local module, relative to the pipeline file;
 * - `data-prep/conll`: built-in package `@tunekit/data-prep`, export `./stages`;
 * - `some-package/stage` or `@scope/pkg/stage`: an npm package's `./stages` export, found from the pipeline dir.
 * (`uses: command` is handled by the loader.)
 */
export async function resolvePlugin(uses: string, pipelineDir: string, workspaceRoot: string): Promise<ResolvedPlugin> {
  if (isLocal(uses)) {
    const [pathPart, stageId] = uses.split('#') as [string, string | undefined];
    const file = resolve(pipelineDir, pathPart);
    if (!existsSync(file)) throw new PluginResolutionError(`local plugin module not found: ${file}`);
    const locator: PluginLocator = { specifier: pathToFileURL(file).href, parentURL: pathToFileURL(pipelineDir + '/').href, stageId: stageId ?? 'default' };
    const module = await importPluginModule(locator.specifier, locator.parentURL);
    const definition = pickStage(module, stageId, pathPart);
    checkDefinition(definition, pathPart);
    locator.stageId = stageId ?? (module.default === definition ? 'default' : definition.id);
    const content = createHash('sha256').update(readFileSync(file)).digest('hex');
    const shown = relative(workspaceRoot, file);
    return { kind: 'local', uses, definition, locator, package: { name: `file:${shown.startsWith('..') ? file : shown}`, version: `sha256:${content}` }, code: { kind: 'local', file } };
  }
  const name = packageNameOf(uses);
  if (!name) throw new PluginResolutionError(`"${uses}" is not a plugin reference: expected <package>/<stage>, ./local-module.ts or command`);
  const builtinName = name.startsWith('@') ? undefined : `@tunekit/${name}`;
  const builtin = builtinName ? findPackage(builtinName, ENGINE_DIR) : undefined;
  const lookupName = builtin ? builtinName! : name;
  const pkg = builtin ?? findPackage(name, pipelineDir) ?? findPackage(name, workspaceRoot) ?? findPackage(name, ENGINE_DIR);
  if (!pkg) {
    const tried = builtinName ? `"${builtinName}" (built-in) or "${name}"` : `"${name}"`;
    throw new PluginResolutionError(`unknown plugin "${uses}": no package ${tried} is installed`);
  }
  const locator: PluginLocator = { specifier: `${pkg.name}/stages`, parentURL: pathToFileURL(pkg.dir.slice(0, pkg.dir.length - `/node_modules/${lookupName}`.length) + '/').href, stageId: uses };
  let module: Record<string, unknown>;
  try {
    module = await importPluginModule(locator.specifier, locator.parentURL);
  } catch (error) {
    throw new PluginResolutionError(`cannot load "${locator.specifier}" for "${uses}": ${(error as Error).message.split('\n')[0]}`);
  }
  const definition = pickStage(module, uses, locator.specifier);
  checkDefinition(definition, locator.specifier);
  return { kind: builtin ? 'builtin' : 'package', uses, definition, locator, package: { name: pkg.name, version: pkg.version }, code: { kind: 'package', name: pkg.name, dir: pkg.dir } };
}
