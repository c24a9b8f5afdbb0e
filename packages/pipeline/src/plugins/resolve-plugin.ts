import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeEntry } from '../cache/code-digest.ts';
import type { StageDefinition } from '../sdk/define-stage.ts';
import { findPackage, packageNameOf } from './find-package.ts';
import { importPluginModule } from './import-module.ts';
import { compileParamsSchema } from './validate-params.ts';

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
  if (typeof definition.run !== 'function') throw new PluginResolutionError(`${where}: stage "${definition.id}": "run" must be a function`);
  for (const field of ['params', 'inputs', 'outputs'] as const) {
    if (typeof definition[field] !== 'object' || definition[field] === null || Array.isArray(definition[field])) {
      throw new PluginResolutionError(`${where}: stage "${definition.id}": "${field}" must be an object`);
    }
  }
  try {
    compileParamsSchema(definition.params);
  } catch (error) {
    throw new PluginResolutionError(`${where}: stage "${definition.id}" has an invalid params schema: ${firstLine((error as Error).message)}`);
  }
}

/** Extensions tsx loads as modules: anything else named by `uses:` is not a plugin module. */
const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx']);

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? text;
}

/** `file:line:col` of the first stack frame inside `file` (a throw at import), if any. */
function frameIn(error: Error, file: string, shown: string): string | undefined {
  for (const line of (error.stack ?? '').split('\n')) {
    const match = /\(?(?:file:\/\/)?([^()\s]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (match && resolve(decodeURIComponent(match[1]!)) === file) return `${shown}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

/**
 * One line for a module that failed to load: a syntax error with its `file:line:col` (esbuild's
 * TransformError when tsx compiles it, Node's SyntaxError for plain JavaScript), or what was thrown
 * while its top level ran, at the frame inside the module. Never the source text.
 */
export function describeLoadError(error: unknown, file: string | undefined, shown: string): string {
  const problem = error as Error & { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] };
  const compile = problem?.errors?.[0];
  if (compile) {
    const at = compile.location ? `${relativeShown(compile.location.file, file, shown)}:${compile.location.line}:${compile.location.column + 1}` : shown;
    return `${at}: syntax error: ${compile.text}`;
  }
  // tsx passes esbuild's failure on as a TransformError whose message lists `<file>:<line>:<col>: ERROR: <text>`.
  const transform = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(problem instanceof Error ? problem.message : '');
  if (transform) return `${relativeShown(transform[1]!, file, shown)}:${transform[2]}:${Number(transform[3]) + 1}: syntax error: ${transform[4]}`;
  if (problem instanceof SyntaxError) {
    const where = /^(.+):(\d+)$/m.exec(problem.stack ?? '');
    const at = where && file && resolve(where[1]!.replace(/^file:\/\//, '')) === file ? `${shown}:${where[2]}` : shown;
    return `${at}: syntax error: ${firstLine(problem.message)}`;
  }
  if (problem instanceof Error) {
    const at = (file && frameIn(problem, file, shown)) ?? shown;
    return `${at}: the module threw while loading: ${problem.name && problem.name !== 'Error' ? `${problem.name}: ` : ''}${firstLine(problem.message)}`;
  }
  return `${shown}: the module threw while loading: ${String(error)}`;
}

function relativeShown(reported: string, file: string | undefined, shown: string): string {
  return file && resolve(reported) === file ? shown : reported;
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
    let info: ReturnType<typeof statSync> | undefined;
    try {
      info = statSync(file);
    } catch {
      throw new PluginResolutionError(`local plugin module not found: ${file}`);
    }
    // Checked before importing: importing any file runs it (and a syntax error would quote its first line).
    if (!info.isFile()) throw new PluginResolutionError(`${pathPart} is not a plugin module: not a regular file`);
    if (!MODULE_EXTENSIONS.has(extname(file))) {
      throw new PluginResolutionError(`${pathPart} is not a plugin module: expected a .ts, .mts, .js or .mjs file`);
    }
    const locator: PluginLocator = { specifier: pathToFileURL(file).href, parentURL: pathToFileURL(pipelineDir + '/').href, stageId: stageId ?? 'default' };
    let module: Record<string, unknown>;
    try {
      module = await importPluginModule(locator.specifier, locator.parentURL);
    } catch (error) {
      throw new PluginResolutionError(`cannot load plugin module: ${describeLoadError(error, file, pathPart)}`);
    }
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
    throw new PluginResolutionError(`cannot load "${locator.specifier}" for "${uses}": ${describeLoadError(error, undefined, locator.specifier)}`);
  }
  const definition = pickStage(module, uses, locator.specifier);
  checkDefinition(definition, locator.specifier);
  return { kind: builtin ? 'builtin' : 'package', uses, definition, locator, package: { name: pkg.name, version: pkg.version }, code: { kind: 'package', name: pkg.name, dir: pkg.dir } };
}
