import { existsSync, statSync } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import { cacheKey, KEY_FORMAT, type CacheKeyComponents } from '../cache/cache-key.ts';
import { CodeDigester, type CodeComponent } from '../cache/code-digest.ts';
import { hashFile, hashPath } from '../cache/digest.ts';
import { FsStore } from '../cache/stores/fs/fs-store.ts';
import type { LoadedPipeline, PlannedStage } from '../spec/load-pipeline.ts';
import { substituteArgument } from './run-command.ts';

export type InputDigests = CacheKeyComponents['inputs'];

/** The base runtime fingerprint every stage gets; plugins add theirs through `fingerprint()`. */
export function baseFingerprint(): Record<string, unknown> {
  return { platform: `${process.platform}-${process.arch}` };
}

function insideWorkspace(path: string, workspaceRoot: string): boolean {
  const rel = relative(workspaceRoot, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** One digester per loaded pipeline (file hashes shared by its plugins), one code component per plugin. */
const digesters = new WeakMap<LoadedPipeline, CodeDigester>();
const codeComponents = new WeakMap<object, Promise<CodeComponent>>();

/** The `code` component of a stage's plugin; file hashes are cached by stat in `<storeRoot>/code-stat.json`. */
export function pluginCode(stage: PlannedStage, pipeline: LoadedPipeline, storeRoot = FsStore.resolveRoot(pipeline.workspaceRoot)): Promise<CodeComponent> | undefined {
  const entry = stage.plugin.code;
  if (!entry) return undefined;
  let pending = codeComponents.get(stage.plugin);
  if (!pending) {
    let digester = digesters.get(pipeline);
    if (!digester) {
      digester = new CodeDigester(pipeline.workspaceRoot, storeRoot);
      digesters.set(pipeline, digester);
    }
    const used = digester;
    pending = used.codeOf(entry).then(async (code) => {
      await used.save();
      return code;
    });
    codeComponents.set(stage.plugin, pending);
  }
  return pending;
}

/** Assemble every key component of a stage (see docs/cache-key.md) and hash it. */
export async function computeStageKey(
  stage: PlannedStage,
  pipeline: LoadedPipeline,
  inputs: InputDigests,
  options: { storeRoot?: string } = {},
): Promise<{ key: string; components: CacheKeyComponents }> {
  const definition = stage.plugin.definition;
  const paramFiles: Record<string, string> = {};
  for (const file of stage.paramFiles) paramFiles[file.path.join('.')] = await hashPath(file.absolute);
  const extra = definition.fingerprint ? await definition.fingerprint(stage.params, { pipelineDir: pipeline.dir, workspaceRoot: pipeline.workspaceRoot }) : {};
  const components: CacheKeyComponents = {
    format: KEY_FORMAT,
    stage: definition.id,
    plugin: stage.plugin.package,
    stageVersion: definition.version,
    params: stage.params,
    paramFiles,
    inputs,
    seed: stage.seed,
    fingerprint: { ...baseFingerprint(), ...extra },
  };
  const code = pluginCode(stage, pipeline, options.storeRoot);
  if (code) components.code = await code;
  if (stage.plugin.kind === 'command') {
    const files: Record<string, string> = {};
    for (const [index, arg] of (stage.run ?? []).entries()) {
      if (/\$\{\s*(inputs|outputs)\./.test(String(arg))) continue;
      const text = substituteArgument(arg, { params: stage.params, pipelineParams: pipeline.params });
      const path = resolve(pipeline.dir, text);
      if (text && insideWorkspace(path, pipeline.workspaceRoot) && existsSync(path) && statSync(path).isFile()) {
        files[`${index}:${text}`] = await hashFile(path);
      }
    }
    components.command = { run: stage.run ?? [], files };
  }
  return { key: cacheKey(components), components };
}
