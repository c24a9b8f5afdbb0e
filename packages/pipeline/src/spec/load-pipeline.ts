import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { buildStageGraph } from '../graph/stage-graph.ts';
import { commandStageDefinition, COMMAND_USES } from '../plugins/command-stage.ts';
import { PluginResolutionError, resolvePlugin, type ResolvedPlugin } from '../plugins/resolve-plugin.ts';
import { collectParamFiles, missingParamFiles, validateParams, type ParamFile } from '../plugins/validate-params.ts';
import { createAjv, describeAjvError, pointerToPath, valueAt } from '../util/ajv.ts';
import { interpolate } from './interpolate.ts';
import { LIMIT_ENV, readLimitedText, resolveLimits, type Limits } from './limits.ts';
import { cellId, joinCells, matchesSelector, matrixCells } from './matrix.ts';
import { applyOverrides } from './overrides.ts';
import { PipelineError, type PipelineIssue } from './pipeline-error.ts';
import { pipelineSchema } from './pipeline-schema.ts';
import type { InstanceInput, PipelineDocument, StageInstance } from './types.ts';
import { findWorkspaceRoot } from './workspace-root.ts';
import { displayPath, issueAt, parseYamlSource, yamlToData, type YamlSource } from './yaml-source.ts';

export interface LoadOptions {
  /** `--set` expressions. */
  overrides?: readonly string[];
  /** Pipeline text to use instead of reading `file` (e.g. a recorded resolved spec). */
  text?: string;
  /** Skip params validation and file checks (e.g. for `tunekit dag`). Default false. */
  structureOnly?: boolean;
  /** Override limits (file size, YAML depth and aliases, matrix cells); see limits.ts. */
  limits?: Partial<Limits>;
}

/** A stage instance with its plugin and validated params: everything needed to compute its cache key. */
export interface PlannedStage extends StageInstance {
  plugin: ResolvedPlugin;
  /** Validated params, defaults applied. */
  params: Record<string, unknown>;
  /** Params that name files (`x-tunekit-file`): hashed into the key. */
  paramFiles: ParamFile[];
}

export interface LoadedPipeline {
  file: string;
  dir: string;
  workspaceRoot: string;
  name: string;
  description?: string;
  experiment: string;
  seed: number;
  params: Record<string, unknown>;
  trackingUri?: string;
  /** The file's `store:` as written (a directory is relative to `dir`); `--store` and TUNEKIT_STORE win over it. */
  store?: string;
  /** The file's `executor:` as written; `--executor` and TUNEKIT_EXECUTOR win over it. */
  executor?: string;
  /** The document after `--set` overrides: the "resolved spec" stored in run records. */
  document: PipelineDocument;
  /** Stage instances in a topological order. */
  stages: PlannedStage[];
  source: YamlSource;
}

const validatePipeline = createAjv().compile(pipelineSchema);

/** Resolve a pipeline argument: an existing file, else `pipelines/<name>.yaml` at the workspace root. */
export function resolvePipelineFile(fileOrName: string, cwd = process.cwd()): string {
  const direct = resolve(cwd, fileOrName);
  if (existsSync(direct)) return direct;
  const root = findWorkspaceRoot(cwd);
  for (const candidate of [join(root, 'pipelines', `${fileOrName}.yaml`), join(root, 'pipelines', `${fileOrName}.yml`)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new PipelineError({ location: fileOrName, message: `no pipeline file "${fileOrName}" (nor pipelines/${fileOrName}.yaml under ${root})` });
}

/** Parse, validate, interpolate, expand the matrix, resolve plugins and validate params. */
export async function loadPipeline(file: string, options: LoadOptions = {}): Promise<LoadedPipeline> {
  const absolute = resolve(file);
  const limits = resolveLimits(options.limits);
  let text = options.text;
  if (text === undefined) text = await readLimitedText(absolute, displayPath(absolute), limits.pipelineFileBytes, LIMIT_ENV.pipelineFileBytes);
  const source = parseYamlSource(absolute, text, limits);
  if (options.overrides?.length) applyOverrides(source, options.overrides);
  const raw = yamlToData(source, limits);
  if (!validatePipeline(raw)) {
    const seen = new Set<string>();
    const issues = (validatePipeline.errors ?? [])
      .filter((error) => error.keyword !== 'if')
      .map((error) => {
        const path = pointerToPath(error.instancePath);
        const isKey = error.keyword === 'additionalProperties' || error.keyword === 'propertyNames';
        const keyPath = error.keyword === 'additionalProperties' ? [...path, String((error.params as { additionalProperty: string }).additionalProperty)] : isKey ? [...path, String((error.params as { propertyName?: string }).propertyName ?? '')] : path;
        return issueAt(source, keyPath, `${describeAjvError(error, valueAt(raw, path))}${where(path)}`, { key: isKey });
      })
      .filter((issue) => !seen.has(issue.location + issue.message) && seen.add(issue.location + issue.message));
    throw new PipelineError(issues.length > 0 ? issues : [{ location: source.displayName, message: 'the pipeline must be a mapping' }]);
  }
  const document = raw as PipelineDocument;
  const dir = dirname(absolute);
  const workspaceRoot = findWorkspaceRoot(dir);
  const params = document.params ?? {};
  const name = document.name ?? basename(absolute, extname(absolute));
  const graph = buildStageGraph(document, source);

  const issues: PipelineIssue[] = [];
  const instancesByName = new Map<string, StageInstance[]>();
  const ids = new Set<string>();
  for (const stageName of graph.order) {
    const stage = document.stages[stageName]!;
    const stagePath = ['stages', stageName];
    const refs = graph.references.get(stageName)!;
    const fanOut = [...refs.values()].filter((ref) => ref.select === undefined);
    // Bounded BEFORE expanding: the product of the axis lengths, times the cells fanned out over.
    const axes = Object.entries(stage.matrix ?? {});
    const upstreamCells = fanOut.map((ref) => instancesByName.get(ref.stage)!.length);
    const count = [...axes.map(([, values]) => values.length), ...upstreamCells].reduce((a, b) => a * b, 1);
    if (count > limits.matrixCells) {
      const shape = [...axes.map(([axis, values]) => `${axis}: ${values.length}`), ...fanOut.map((ref, i) => `${ref.stage}: ${upstreamCells[i]} cells`)].join(' × ');
      issues.push(issueAt(source, axes.length > 0 ? [...stagePath, 'matrix'] : stagePath, `${stageName}: ${count} cells (${shape}), more than the limit of ${limits.matrixCells} (${LIMIT_ENV.matrixCells})`));
      throw new PipelineError(issues); // stages downstream of it cannot be expanded either
    }
    const cells = joinCells(
      matrixCells(stage.matrix),
      fanOut.map((ref) => instancesByName.get(ref.stage)!.map((instance) => instance.coords)),
    );
    const instances: StageInstance[] = [];
    for (const coords of cells) {
      const id = cellId(stageName, coords);
      if (ids.has(id)) {
        issues.push(issueAt(source, [...stagePath, 'matrix'], `duplicate stage id "${id}" (repeated matrix value)`));
        continue;
      }
      ids.add(id);
      const scope = { params, matrix: coords };
      const onError = (path: (string | number)[], message: string) => issues.push(issueAt(source, [...stagePath, ...path], message));
      const inputs: Record<string, InstanceInput> = {};
      for (const [input, ref] of refs) {
        const upstream = instancesByName.get(ref.stage)!;
        const inputPath = [...stagePath, 'inputs', input];
        if (ref.select === '*') {
          inputs[input] = { kind: 'gather', output: ref.output, items: upstream.map((u) => ({ stageId: u.id, coords: u.coords })) };
        } else if (ref.select) {
          const selector = ref.select;
          const matches = upstream.filter((u) => matchesSelector(u.coords, selector));
          if (matches.length !== 1) {
            issues.push(issueAt(source, inputPath, `"${ref.text}" selects ${matches.length} cells of "${ref.stage}" (cells: ${upstream.map((u) => u.id).join(', ')}); expected exactly one`));
            continue;
          }
          inputs[input] = { kind: 'single', stageId: matches[0]!.id, output: ref.output };
        } else {
          const match = upstream.find((u) => Object.entries(u.coords).every(([k, v]) => k in coords && String(coords[k]) === String(v)))!;
          inputs[input] = { kind: 'single', stageId: match.id, output: ref.output };
        }
      }
      instances.push({
        id,
        name: stageName,
        coords,
        uses: String(interpolate(stage.uses, scope, (p, m) => onError(['uses', ...p], m))),
        description: stage.description === undefined ? undefined : String(interpolate(stage.description, scope, (p, m) => onError(['description', ...p], m))),
        with: interpolate(stage.with ?? {}, scope, (p, m) => onError(['with', ...p], m)) as Record<string, unknown>,
        inputs,
        seed: Number(interpolate(stage.seed ?? document.seed ?? 0, scope, (p, m) => onError(['seed', ...p], m))),
        cache: stage.cache ?? true,
        run: stage.run === undefined ? undefined : (interpolate(stage.run, scope, (p, m) => onError(['run', ...p], m), [], ['matrix']) as (string | number)[]),
        outputs: stage.outputs,
        yamlPath: stagePath,
      });
    }
    instancesByName.set(stageName, instances);
  }
  if (issues.length > 0) throw new PipelineError(issues);

  const instances = graph.order.flatMap((stageName) => instancesByName.get(stageName)!);
  const plugins = new Map<string, ResolvedPlugin>();
  const planned: PlannedStage[] = [];
  for (const instance of instances) {
    const plugin = await pluginFor(instance, plugins, dir, workspaceRoot, source, issues);
    if (!plugin) continue;
    checkSlots(instance, plugin, planned, source, issues);
    let validated: Record<string, unknown> = instance.with;
    let paramFiles: ParamFile[] = [];
    if (!options.structureOnly) {
      const result = validateParams(plugin.definition.params, instance.with);
      for (const problem of result.problems) {
        issues.push(issueAt(source, [...instance.yamlPath, 'with', ...problem.path], `${instance.id}: param ${problem.path.join('.') || '(with)'}: ${problem.message}`, { key: problem.message.startsWith('unknown field') }));
      }
      validated = result.params;
      if (result.problems.length === 0) {
        paramFiles = collectParamFiles(plugin.definition.params, validated, dir);
        for (const missing of missingParamFiles(paramFiles)) {
          issues.push(issueAt(source, [...instance.yamlPath, 'with', ...missing.path], `${instance.id}: missing input file "${missing.value}" (resolved to ${missing.absolute})`));
        }
      }
    }
    planned.push({ ...instance, plugin, params: validated, paramFiles });
  }
  if (issues.length > 0) throw new PipelineError(issues);
  return {
    file: absolute,
    dir,
    workspaceRoot,
    name,
    description: document.description,
    experiment: document.experiment ?? name,
    seed: document.seed ?? 0,
    params,
    trackingUri: document.tracking?.uri,
    store: document.store,
    executor: document.executor,
    document,
    stages: planned,
    source,
  };
}

function where(path: string[]): string {
  return path.length > 0 ? ` (at ${path.join('.')})` : '';
}

async function pluginFor(
  instance: StageInstance,
  cache: Map<string, ResolvedPlugin>,
  dir: string,
  workspaceRoot: string,
  source: YamlSource,
  issues: PipelineIssue[],
): Promise<ResolvedPlugin | undefined> {
  const usesPath = [...instance.yamlPath, 'uses'];
  if (instance.uses === COMMAND_USES) {
    if (!instance.run) issues.push(issueAt(source, usesPath, `${instance.id}: "uses: command" needs "run: [program, args...]"`));
    if (!instance.outputs) issues.push(issueAt(source, usesPath, `${instance.id}: "uses: command" needs "outputs: [name, ...]" (use [] for none)`));
    if (!instance.run || !instance.outputs) return undefined;
    return {
      kind: 'command',
      uses: COMMAND_USES,
      definition: commandStageDefinition(Object.keys(instance.inputs), instance.outputs),
      package: { name: 'command', version: '1' },
    };
  }
  for (const field of ['run', 'outputs'] as const) {
    if (instance[field] !== undefined) issues.push(issueAt(source, [...instance.yamlPath, field], `${instance.id}: "${field}" is only valid with "uses: command"`, { key: true }));
  }
  let plugin = cache.get(instance.uses);
  if (!plugin) {
    try {
      plugin = await resolvePlugin(instance.uses, dir, workspaceRoot);
      cache.set(instance.uses, plugin);
    } catch (error) {
      if (!(error instanceof PluginResolutionError)) throw error;
      issues.push(issueAt(source, usesPath, error.message));
      return undefined;
    }
  }
  return plugin;
}

/** Every declared input exists on the plugin, required inputs are given, referenced outputs exist upstream. */
function checkSlots(
  instance: StageInstance,
  plugin: ResolvedPlugin,
  planned: PlannedStage[],
  source: YamlSource,
  issues: PipelineIssue[],
): void {
  const slots = plugin.definition.inputs;
  for (const [input, from] of Object.entries(instance.inputs)) {
    const path = [...instance.yamlPath, 'inputs', input];
    const slot = slots[input];
    if (!slot) {
      issues.push(issueAt(source, path, `${instance.id}: plugin "${plugin.uses}" has no input "${input}" (its inputs: ${Object.keys(slots).join(', ') || 'none'})`, { key: true }));
      continue;
    }
    if (from.kind === 'gather' && !slot.collection && plugin.kind !== 'command') {
      issues.push(issueAt(source, path, `${instance.id}: input "${input}" takes one artifact; "[*]" gathers every cell (declare the input with "collection: true" to accept that)`));
    }
    const producers = from.kind === 'single' ? [from.stageId] : from.items.map((item) => item.stageId);
    for (const producerId of producers) {
      const producer = planned.find((stage) => stage.id === producerId);
      if (!producer) continue; // its own resolution failed and was reported
      if (!(from.output in producer.plugin.definition.outputs)) {
        const outputs = Object.keys(producer.plugin.definition.outputs).join(', ') || 'none';
        issues.push(issueAt(source, path, `${instance.id}: unknown output "${from.output}" of stage "${producerId}" (its outputs: ${outputs})`));
        break;
      }
    }
  }
  for (const [name, slot] of Object.entries(slots)) {
    if (!slot.optional && !(name in instance.inputs)) {
      issues.push(issueAt(source, [...instance.yamlPath, 'inputs'], `${instance.id}: missing required input "${name}" (${slot.kind}) of plugin "${plugin.uses}"`));
    }
  }
}

