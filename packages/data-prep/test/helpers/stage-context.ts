import { mkdtemp, mkdir, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { Ajv } from 'ajv';
import type { StageContext, StageDefinition } from '@tunekit/pipeline';

// Mirrors what the engine does before `run`: validate `with:` against the stage's schema and apply defaults.
const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
ajv.addKeyword({ keyword: 'x-tunekit-file', schemaType: 'boolean' });

export interface RecordedMetric {
  key: string;
  value: number;
  step?: number;
}

export interface TestContext<P> {
  ctx: StageContext<P>;
  metrics: RecordedMetric[];
  outputDir(name: string): string;
}

export async function tempDir(prefix = 'tunekit-data-prep-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function validateParams<P>(stage: StageDefinition<P>, params: Record<string, unknown>): P {
  const copy = structuredClone(params);
  const validate = ajv.compile(stage.params);
  if (!validate(copy)) throw new Error(`invalid params for ${stage.id}: ${ajv.errorsText(validate.errors)}`);
  return copy as P;
}

/** A StageContext with temp output dirs, params validated + defaulted like the engine does, and recorded metrics. */
export async function makeContext<P>(
  stage: StageDefinition<P>,
  options: { params: Record<string, unknown>; inputs?: Record<string, string>; seed?: number; pipelineDir?: string },
): Promise<TestContext<P>> {
  const root = await tempDir();
  const outputs: Record<string, { dir: string }> = {};
  for (const name of Object.keys(stage.outputs)) {
    outputs[name] = { dir: join(root, 'out', name) };
    await mkdir(outputs[name].dir, { recursive: true });
  }
  const inputs: Record<string, { dir: string; digest: string }> = {};
  for (const [name, dir] of Object.entries(options.inputs ?? {})) inputs[name] = { dir, digest: await directoryDigest(dir) };
  const metrics: RecordedMetric[] = [];
  const scratchDir = join(root, 'scratch');
  await mkdir(scratchDir);
  const ctx: StageContext<P> = {
    stageId: 'test',
    params: validateParams(stage, options.params),
    inputs,
    outputs,
    seed: options.seed ?? 42,
    pipelineDir: options.pipelineDir ?? root,
    workspaceRoot: options.pipelineDir ?? root,
    scratchDir,
    log: {
      info: () => {},
      warn: () => {},
      metric: (key, value, step) => void metrics.push({ key, value, step }),
      metrics: (values, step) => Object.entries(values).forEach(([key, value]) => metrics.push({ key, value, step })),
      tag: () => {},
      artifact: () => {},
    },
    progress: { update: () => {} },
    signal: new AbortController().signal,
  };
  return { ctx, metrics, outputDir: (name) => outputs[name]!.dir };
}

/** sha256 over sorted relative paths and contents (the engine's artifact digest definition). */
export async function directoryDigest(dir: string): Promise<string> {
  const files: string[] = [];
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.push(relative(dir, path));
    }
  };
  await walk(dir);
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file + '\0');
    hash.update(await readFile(join(dir, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export const REPO_ROOT = new URL('../../../../', import.meta.url).pathname;
