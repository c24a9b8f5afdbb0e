/**
 * `tunekit status` names the part of a stage's cache key that changed since that stage's last run
 * — one test per kind (param, input, code, seed, runtime) — and `tunekit run` prints the same
 * reason beside every stage it reruns. Real runs of the real binary on fixture plugins.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBlasStatus } from '@tunekit/native';
import { fixtureWorkspace, lastJson, runJson, tunekit } from './helpers.ts';

const COMPUTE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'compute');

const PIPELINE = `name: chain
seed: 1
stages:
  a:
    uses: ./plugins/write.ts
    with: { text: hello }
  b:
    uses: ./plugins/upper.ts
    inputs: { src: a.out }
`;

interface StatusJson {
  pipeline: string;
  stages: Record<string, { cached: boolean; key?: string; reason?: string; changes?: { path: string; before?: unknown; after?: unknown }[]; waitsFor?: string[] }>;
}

async function status(ws: { dir: string; store: string }, args: string[] = [], env: Record<string, string> = {}): Promise<StatusJson> {
  const result = await tunekit(['status', 'pipeline.yaml', '--json', ...args], { cwd: ws.dir, store: ws.store, env });
  expect(result.code).toBe(0);
  return lastJson<StatusJson>(result);
}

/** A local plugin that imports a helper module (the helper is part of its code). */
const SHOUT = `import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shout } from './shout-helper.ts';

export default {
  id: 'fixture/shout',
  version: '1',
  description: 'shout a text artifact',
  params: { type: 'object', additionalProperties: false, properties: {} },
  inputs: { src: { kind: 'text' } },
  outputs: { out: { kind: 'text' } },
  async run(ctx) {
    await writeFile(join(ctx.outputs.out.dir, 'text.txt'), shout(await readFile(join(ctx.inputs.src.dir, 'text.txt'), 'utf8')));
  },
};
`;

async function primed(pipeline = PIPELINE, files: Record<string, string> = {}) {
  const ws = fixtureWorkspace({ 'pipeline.yaml': pipeline, ...files });
  const first = await runJson('pipeline.yaml', ws);
  expect(first.code).toBe(0);
  return ws;
}

describe('tunekit status', () => {
  test('before any run every stage is "never run"; after one, every stage is cached', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    const before = await status(ws);
    expect(before.stages.a).toMatchObject({ cached: false, reason: 'never run' });
    expect(before.stages.b).toMatchObject({ cached: false, reason: 'upstream a not cached; never run', waitsFor: ['a'] });
    await runJson('pipeline.yaml', ws);
    const after = await tunekit(['status', 'pipeline.yaml'], { cwd: ws.dir, store: ws.store });
    expect(after.stdout).toBe('chain: 2 of 2 stages cached\n  a  cached\n  b  cached\n');
  });

  test('param: names the param with its old and new value; run prints the same reason beside the stage', async () => {
    const ws = await primed();
    ws.write('pipeline.yaml', PIPELINE.replace('text: hello', 'text: world'));
    const report = await status(ws);
    expect(report.stages.a).toMatchObject({ cached: false, reason: 'param text hello → world', changes: [{ path: 'params.text', before: 'hello', after: 'world' }] });
    expect(report.stages.b).toMatchObject({ cached: false, reason: 'upstream a not cached', waitsFor: ['a'] });

    const run = await tunekit(['run', 'pipeline.yaml'], { cwd: ws.dir, store: ws.store });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✔ \[a\] ran \d+\.\d\ds \(param text hello → world\)\n/);
    expect(run.stdout).toMatch(/✔ \[b\] ran \d+\.\d\ds \(input src changed\)\n/);
    const runId = /run (\S+) succeeded/.exec(run.stdout)![1]!;
    const record = JSON.parse(readFileSync(join(ws.store, 'runs', `${runId}.json`), 'utf8'));
    expect(record.stages.a.reason).toBe('param text hello → world');
    expect(record.stages.b.reason).toBe('input src changed');
  });

  test('input: a stage whose upstream output changed (upstream run alone) names the input', async () => {
    const ws = await primed();
    expect((await runJson('pipeline.yaml', ws, ['--only', 'a', '--set', 'a.with.text=world'])).code).toBe(0);
    const report = await status(ws, ['--set', 'a.with.text=world']);
    expect(report.stages.a).toMatchObject({ cached: true });
    expect(report.stages.b).toMatchObject({ cached: false, reason: 'input src changed' });
    expect(report.stages.b!.changes!.map((change) => change.path)).toEqual(['inputs.src']);
  });

  test('code: editing a local plugin names its file', async () => {
    const ws = await primed();
    ws.write('plugins/upper.ts', readFileSync(join(ws.dir, 'plugins/upper.ts'), 'utf8') + '\n// edited\n');
    const report = await status(ws);
    expect(report.stages.a).toMatchObject({ cached: true });
    expect(report.stages.b!.cached).toBe(false);
    expect(report.stages.b!.reason).toBe('code plugins/upper.ts changed');
  });

  test('code: editing a file a local plugin imports names that file', async () => {
    const ws = await primed(PIPELINE.replace('./plugins/upper.ts', './plugins/shout.ts'), {
      'plugins/shout.ts': SHOUT,
      'plugins/shout-helper.ts': `export const shout = (text: string): string => text.toUpperCase() + '!';\n`,
    });
    ws.write('plugins/shout-helper.ts', `export const shout = (text: string): string => text.toUpperCase() + '!!';\n`);
    expect((await status(ws)).stages.b).toMatchObject({ cached: false, reason: 'code plugins/shout-helper.ts changed' });
  });

  test('seed: names the seed with its old and new value', async () => {
    const ws = await primed();
    ws.write('pipeline.yaml', PIPELINE.replace('seed: 1', 'seed: 2'));
    expect((await status(ws)).stages.a).toMatchObject({ cached: false, reason: 'seed 1 → 2' });
  });
});

/** A plugin whose key carries @tunekit/compute's runtime fingerprint, as every compute stage's does. */
const COMPUTE_PLUGIN = `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint } from '@tunekit/compute/fingerprint';

export default {
  id: 'fixture/compute-fingerprint',
  version: '1',
  description: 'writes the fingerprint it was keyed with',
  params: { type: 'object', additionalProperties: false, properties: {} },
  inputs: {},
  outputs: { out: { kind: 'text' } },
  fingerprint,
  async run(ctx) {
    await writeFile(join(ctx.outputs.out.dir, 'fingerprint.json'), JSON.stringify(fingerprint()));
  },
};
`;

function computeWorkspace() {
  const ws = fixtureWorkspace({ 'pipeline.yaml': `name: runtime\nstages:\n  fit:\n    uses: ./plugins/fit.js\n`, 'plugins/fit.js': COMPUTE_PLUGIN });
  mkdirSync(join(ws.dir, 'node_modules', '@tunekit'), { recursive: true });
  symlinkSync(COMPUTE, join(ws.dir, 'node_modules', '@tunekit', 'compute'));
  return ws;
}

describe('tunekit status: runtime fingerprint', () => {
  test('runtime: another backend names the fingerprint field (TUNEKIT_BACKEND=cpu)', async () => {
    const ws = computeWorkspace();
    const first = await tunekit(['run', 'pipeline.yaml'], { cwd: ws.dir, store: ws.store, env: { TUNEKIT_BACKEND: 'wasm' } });
    expect(first.code).toBe(0);
    const report = await status(ws, [], { TUNEKIT_BACKEND: 'cpu' });
    expect(report.stages.fit!.cached).toBe(false);
    expect(report.stages.fit!.reason).toMatch(/^runtime backend wasm → cpu; /);
    expect(report.stages.fit!.changes).toContainEqual({ path: 'fingerprint.backend', before: 'wasm', after: 'cpu' });
    expect((await status(ws, [], { TUNEKIT_BACKEND: 'wasm' })).stages.fit!.cached).toBe(true);
  });

  (openBlasStatus().available ? test : test.skip)('runtime: the matMul engine, xnnpack → openblas (TUNEKIT_GEMM; needs OpenBLAS)', async () => {
    const ws = computeWorkspace();
    const first = await tunekit(['run', 'pipeline.yaml'], { cwd: ws.dir, store: ws.store, env: { TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: 'xnnpack' } });
    expect(first.code).toBe(0);
    const report = await status(ws, [], { TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: 'openblas' });
    expect(report.stages.fit!.reason).toMatch(/^runtime gemm xnnpack → openblas \d+\.\d+\.\d+ \w+/);
    expect(report.stages.fit!.changes!.map((change) => change.path)).toEqual(['fingerprint.gemm']);
  });
});
