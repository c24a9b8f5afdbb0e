/** docs/cache-key.md, component by component, at the level of computeStageKey. */
import { describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheKey, KEY_FORMAT, type CacheKeyComponents } from '../src/cache/cache-key.ts';
import type { ResolvedPlugin } from '../src/plugins/resolve-plugin.ts';
import { computeStageKey } from '../src/runner/stage-key.ts';
import type { LoadedPipeline, PlannedStage } from '../src/spec/load-pipeline.ts';
import { load, workspace } from './helpers.ts';

function plugin(overrides: Partial<ResolvedPlugin['definition']> = {}, pkg = { name: 'tunekit-plugin-x', version: '1.0.0' }): ResolvedPlugin {
  return {
    kind: 'package',
    uses: 'tunekit-plugin-x/stage',
    package: pkg,
    definition: { id: 'tunekit-plugin-x/stage', version: '1', description: '', params: { type: 'object' }, inputs: {}, outputs: { out: { kind: 'x' } }, run: async () => {}, ...overrides },
  };
}

const dir = workspace({ 'data.txt': 'v1' });
const pipeline = { dir, workspaceRoot: dir, params: {} } as unknown as LoadedPipeline;

function stage(overrides: Partial<PlannedStage> = {}): PlannedStage {
  return {
    id: 'train',
    name: 'train',
    coords: {},
    uses: 'tunekit-plugin-x/stage',
    with: {},
    inputs: {},
    seed: 42,
    cache: true,
    yamlPath: ['stages', 'train'],
    plugin: plugin(),
    params: { lr: 0.1 },
    paramFiles: [],
    ...overrides,
  };
}

const key = async (s: PlannedStage, inputs: CacheKeyComponents['inputs'] = { data: 'a'.repeat(64) }) => (await computeStageKey(s, pipeline, inputs)).key;

describe('every documented component changes the key', () => {
  test('1 format: the key layout version is hashed', () => {
    const base: CacheKeyComponents = { format: KEY_FORMAT, stage: 's', plugin: { name: 'p', version: '1' }, stageVersion: '1', params: {}, paramFiles: {}, inputs: {}, seed: 0, fingerprint: {} };
    expect(cacheKey({ ...base, format: KEY_FORMAT + 1 })).not.toBe(cacheKey(base));
  });

  test('1 format: the engine puts the key layout version into every stage key', async () => {
    const { key: stageKey, components } = await computeStageKey(stage(), pipeline, { data: 'a'.repeat(64) });
    expect(components.format).toBe(KEY_FORMAT);
    expect(cacheKey(components)).toBe(stageKey);
  });

  test('2 stage: the plugin stage id', async () => {
    expect(await key(stage({ plugin: plugin({ id: 'tunekit-plugin-x/other' }) }))).not.toBe(await key(stage()));
  });

  test('3 plugin: package name and version', async () => {
    const base = await key(stage());
    expect(await key(stage({ plugin: plugin({}, { name: 'tunekit-plugin-x', version: '1.0.1' }) }))).not.toBe(base);
    expect(await key(stage({ plugin: plugin({}, { name: 'tunekit-plugin-y', version: '1.0.0' }) }))).not.toBe(base);
  });

  test('4 stageVersion: the definition version', async () => {
    expect(await key(stage({ plugin: plugin({ version: '2' }) }))).not.toBe(await key(stage()));
  });

  test('5 params: validated values', async () => {
    expect(await key(stage({ params: { lr: 0.2 } }))).not.toBe(await key(stage()));
  });

  test('6 paramFiles: the content of a file named by an x-tunekit-file param', async () => {
    const files = [{ path: ['file'], value: 'data.txt', absolute: join(dir, 'data.txt') }];
    const before = await key(stage({ paramFiles: files }));
    writeFileSync(join(dir, 'data.txt'), 'v2');
    expect(await key(stage({ paramFiles: files }))).not.toBe(before);
  });

  test('6 paramFiles: a directory param hashes the directory content', async () => {
    const ws = workspace({ 'model/config.json': '{}', 'model/weights.bin': 'w1' });
    const files = [{ path: ['model'], value: 'model', absolute: join(ws, 'model') }];
    const before = await key(stage({ paramFiles: files }));
    writeFileSync(join(ws, 'model', 'weights.bin'), 'w2');
    expect(await key(stage({ paramFiles: files }))).not.toBe(before);
  });

  test('7 inputs: each input artifact digest', async () => {
    expect(await key(stage(), { data: 'b'.repeat(64) })).not.toBe(await key(stage()));
  });

  test('8 seed', async () => {
    expect(await key(stage({ seed: 43 }))).not.toBe(await key(stage()));
  });

  test('9 fingerprint: what the plugin reports (e.g. tfjs backend)', async () => {
    const wasm = await key(stage({ plugin: plugin({ fingerprint: () => ({ backend: 'wasm' }) }) }));
    const cpu = await key(stage({ plugin: plugin({ fingerprint: () => ({ backend: 'cpu' }) }) }));
    expect(wasm).not.toBe(cpu);
    const { components } = await computeStageKey(stage({ plugin: plugin({ fingerprint: () => ({ backend: 'wasm' }) }) }), pipeline, {});
    expect(components.fingerprint).toEqual({ platform: `${process.platform}-${process.arch}`, backend: 'wasm' });
  });

  test('10 command: the run template and the content of workspace files it names', async () => {
    const ws = workspace({ 'score.py': 'print(1)' });
    const commandPipeline = { dir: ws, workspaceRoot: ws, params: {} } as unknown as LoadedPipeline;
    const commandStage = (run: string[]) => stage({ run, outputs: ['out'], plugin: { ...plugin(), kind: 'command', package: { name: 'command', version: '1' } } });
    const base = (await computeStageKey(commandStage(['python3', 'score.py']), commandPipeline, {})).key;
    expect((await computeStageKey(commandStage(['python3', 'score.py', '--fast']), commandPipeline, {})).key).not.toBe(base);
    writeFileSync(join(ws, 'score.py'), 'print(2)');
    expect((await computeStageKey(commandStage(['python3', 'score.py']), commandPipeline, {})).key).not.toBe(base);
  });
  test('11 code: every local file of a local plugin\'s import graph, by workspace path', async () => {
    const ws = workspace({ 'plugins/rep2.ts': "import { SEP } from './helper.ts';\nexport default SEP;\n", 'plugins/helper.ts': "export const SEP = '-';\n" });
    const localPipeline = () => ({ dir: ws, workspaceRoot: ws, params: {} }) as unknown as LoadedPipeline;
    const localStage = () => stage({ plugin: { ...plugin(), kind: 'local', code: { kind: 'local', file: join(ws, 'plugins/rep2.ts') } } });
    const before = await computeStageKey(localStage(), localPipeline(), {}, { storeRoot: join(ws, 'store') });
    expect(Object.keys(before.components.code!.files!)).toEqual(['plugins/helper.ts', 'plugins/rep2.ts']);
    writeFileSync(join(ws, 'plugins/helper.ts'), "export const SEP = '+';\n");
    const after = await computeStageKey(localStage(), localPipeline(), {}, { storeRoot: join(ws, 'store') });
    expect(after.key).not.toBe(before.key);
    expect(after.components.code!.files!['plugins/rep2.ts']).toBe(before.components.code!.files!['plugins/rep2.ts']);
  });
});

describe('what is not in the key', () => {
  test('the stage name in the YAML', async () => {
    expect(await key(stage({ id: 'fit', name: 'fit' }))).toBe(await key(stage()));
  });

  test('param key order', async () => {
    expect(await key(stage({ params: { a: 1, b: { c: 2, d: 3 } } }))).toBe(await key(stage({ params: { b: { d: 3, c: 2 }, a: 1 } })));
  });

  test('description and cache flag', async () => {
    expect(await key(stage({ description: 'x', cache: false }))).toBe(await key(stage()));
  });

  test('YAML comments, order and style, from the loader to the key', async () => {
    const a = await load(`stages:\n  s:\n    uses: command\n    run: [echo, hi]\n    outputs: [out]\n    with: { a: 1, b: [1, 2] }\n`);
    const b = await load(`# comment\nstages:\n  s:\n    outputs: [out]\n    with:\n      b:\n        - 1\n        - 2\n      a: 1   # one\n    run: ["echo", 'hi']\n    uses: command\n`);
    const keyOf = async (p: LoadedPipeline) => (await computeStageKey(p.stages[0]!, { ...p, dir, workspaceRoot: dir }, {})).key;
    expect(await keyOf(b)).toBe(await keyOf(a));
  });
});
