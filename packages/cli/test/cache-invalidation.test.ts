/**
 * docs/cache-key.md, one component at a time: each changes the key of its stage (and reruns
 * everything downstream); YAML key order, comments and unrelated stages do not.
 * Everything is observed through `tunekit run --json`.
 */
import { describe, expect, test } from '@jest/globals';
import { chmodSync, cpSync, mkdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { fixtureWorkspace, readText, runJson, statuses, tempDir } from './helpers.ts';

const PIPELINE = `# three stages: a -> b, and c on its own
name: chain
seed: 1
stages:
  a:
    uses: ./plugins/write.ts
    with: { text: hello }
  b:
    uses: ./plugins/upper.ts
    inputs: { src: a.out }
  c:
    uses: ./plugins/write.ts
    with: { text: other }
`;

async function primed(files: Record<string, string> = {}, pipeline = PIPELINE) {
  const ws = fixtureWorkspace({ 'pipeline.yaml': pipeline, ...files });
  const first = await runJson('pipeline.yaml', ws);
  expect(first.code).toBe(0);
  return { ws, first };
}

describe('cache hits', () => {
  test('an immediate second run reports every stage cached with the same keys and digests', async () => {
    const { ws, first } = await primed();
    expect(statuses(first)).toEqual({ a: 'ran', b: 'ran', c: 'ran' });
    const second = await runJson('pipeline.yaml', ws);
    expect(statuses(second)).toEqual({ a: 'cached', b: 'cached', c: 'cached' });
    for (const id of ['a', 'b', 'c']) {
      expect(second.stages[id]!.key).toBe(first.stages[id]!.key);
      expect(second.stages[id]!.outputs).toEqual(first.stages[id]!.outputs);
    }
    expect(readText(join(second.stages.b!.outputs.out!.path, 'text.txt'))).toBe('HELLO');
  });

  test('reordering keys and editing comments reruns nothing', async () => {
    const { ws } = await primed();
    ws.write('pipeline.yaml', `stages:
  c:   # moved first
    with: { text: other }
    uses: ./plugins/write.ts
  b:
    inputs: { src: a.out }
    uses: ./plugins/upper.ts
  a:
    with:
      text: hello   # block style now
    uses: ./plugins/write.ts
seed: 1
name: chain
`);
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ a: 'cached', b: 'cached', c: 'cached' });
  });

  test('adding an unrelated stage leaves the other keys unchanged', async () => {
    const { ws, first } = await primed();
    ws.write('pipeline.yaml', PIPELINE + `  d:\n    uses: ./plugins/write.ts\n    with: { text: new }\n`);
    const second = await runJson('pipeline.yaml', ws);
    expect(statuses(second)).toEqual({ a: 'cached', b: 'cached', c: 'cached', d: 'ran' });
    expect(second.stages.a!.key).toBe(first.stages.a!.key);
  });

  test('moving the workspace and its store elsewhere keeps every stage cached (keys hold no absolute paths)', async () => {
    const { ws, first } = await primed();
    const moved = tempDir('tunekit-moved-');
    cpSync(ws.dir, moved, { recursive: true });
    const second = await runJson('pipeline.yaml', { dir: moved, store: join(moved, 'store') });
    expect(statuses(second)).toEqual({ a: 'cached', b: 'cached', c: 'cached' });
    expect(second.stages.b!.key).toBe(first.stages.b!.key);
    expect(second.stages.b!.outputs.out!.path.startsWith(moved)).toBe(true);
  });

  test('writing a param default explicitly does not change the key (defaults are applied before hashing)', async () => {
    const { ws } = await primed();
    ws.write('pipeline.yaml', PIPELINE.replace('with: { text: hello }', 'with: { text: hello, repeat: 1 }'));
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ a: 'cached', b: 'cached', c: 'cached' });
  });
});

describe('each key component invalidates its stage and everything downstream', () => {
  test('params: changing one stage param reruns exactly that stage and its downstream', async () => {
    const { ws, first } = await primed();
    ws.write('pipeline.yaml', PIPELINE.replace('text: hello', 'text: bonjour'));
    const second = await runJson('pipeline.yaml', ws);
    expect(statuses(second)).toEqual({ a: 'ran', b: 'ran', c: 'cached' });
    expect(second.stages.a!.key).not.toBe(first.stages.a!.key);
    expect(readText(join(second.stages.b!.outputs.out!.path, 'text.txt'))).toBe('BONJOUR');
  });

  test('params via --set: an override is a param change like any other', async () => {
    const { ws } = await primed();
    const second = await runJson('pipeline.yaml', ws, ['--set', 'a.with.repeat=2']);
    expect(statuses(second)).toEqual({ a: 'ran', b: 'ran', c: 'cached' });
    expect(readText(join(second.stages.b!.outputs.out!.path, 'text.txt'))).toBe('HELLOHELLO');
  });

  test('seed: a stage seed override reruns that stage; the pipeline seed reruns every stage', async () => {
    const { ws } = await primed();
    ws.write('pipeline.yaml', PIPELINE.replace('with: { text: other }', 'with: { text: other }\n    seed: 7'));
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ a: 'cached', b: 'cached', c: 'ran' });
    ws.write('pipeline.yaml', PIPELINE.replace('seed: 1', 'seed: 2'));
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ a: 'ran', b: 'ran', c: 'ran' });
  });

  test('input file content: editing a file named by an x-tunekit-file param reruns its consumers', async () => {
    const pipeline = `stages:\n  read:\n    uses: ./plugins/read-file.ts\n    with: { file: data/input.txt }\n  up:\n    uses: ./plugins/upper.ts\n    inputs: { src: read.out }\n  other:\n    uses: ./plugins/write.ts\n    with: { text: x }\n`;
    const { ws } = await primed({ 'data/input.txt': 'v1' }, pipeline);
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ read: 'cached', up: 'cached', other: 'cached' });
    ws.write('data/input.txt', 'v2');
    const third = await runJson('pipeline.yaml', ws);
    expect(statuses(third)).toEqual({ read: 'ran', up: 'ran', other: 'cached' });
    expect(readText(join(third.stages.up!.outputs.out!.path, 'text.txt'))).toBe('V2');
  });

  test('plugin package version: bumping the npm package version reruns its stages', async () => {
    const pipeline = `stages:\n  echo:\n    uses: tunekit-plugin-fixture/echo\n  up:\n    uses: ./plugins/write.ts\n    with: { text: x }\n`;
    const { ws } = await primed({}, pipeline);
    const manifest = join(ws.dir, 'node_modules', 'tunekit-plugin-fixture', 'package.json');
    writeFileSync(manifest, readText(manifest).replace('"1.0.0"', '"1.0.1"'));
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ echo: 'ran', up: 'cached' });
  });

  test('stage version: bumping a stage definition version reruns it', async () => {
    const pipeline = `stages:\n  echo:\n    uses: tunekit-plugin-fixture/echo\n`;
    const { ws } = await primed({}, pipeline);
    const stages = join(ws.dir, 'node_modules', 'tunekit-plugin-fixture', 'stages.js');
    writeFileSync(stages, readText(stages).replace("version: '1'", "version: '2'"));
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ echo: 'ran' });
  });

  test('input digests: a changed upstream output reruns the consumer; an identical one does not', async () => {
    const pipeline = `stages:\n  a:\n    uses: ./plugins/write.ts\n    with: { text: abc }\n  b:\n    uses: ./plugins/upper.ts\n    inputs: { src: a.out }\n`;
    const { ws } = await primed({}, pipeline);
    // a reruns (forced) but produces the same bytes: b's inputs did not change, b stays cached.
    expect(statuses(await runJson('pipeline.yaml', ws, ['--force', 'a']))).toEqual({ a: 'ran', b: 'cached' });
  });

  test('command stages: editing the script named in run: reruns the stage', async () => {
    const pipeline = `stages:\n  a:\n    uses: ./plugins/write.ts\n    with: { text: abc }\n  copy:\n    uses: command\n    inputs: { src: a.out }\n    outputs: [out]\n    with: { suffix: "!" }\n    run: [node, copy.mjs, one]\n`;
    const { ws, first } = await primed({}, pipeline);
    expect(readText(join(first.stages.copy!.outputs.out!.path, 'text.txt'))).toBe('abc!:one');
    ws.write('copy.mjs', readText(join(ws.dir, 'copy.mjs')) + '\n// edited\n');
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ a: 'cached', copy: 'ran' });
  });

  test('local plugin source: editing a local plugin module reruns its stages', async () => {
    const { ws } = await primed();
    ws.write('plugins/upper.ts', readText(join(ws.dir, 'plugins', 'upper.ts')) + '\n// edited\n');
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ a: 'cached', b: 'ran', c: 'cached' });
  });
});

describe('verification on restore', () => {
  test('a corrupted entry is detected, reported and the stage reruns', async () => {
    const { ws, first } = await primed();
    const file = join(first.stages.a!.outputs.out!.path, 'text.txt');
    chmodSync(file, 0o644);
    writeFileSync(file, 'tampered');
    const second = await runJson('pipeline.yaml', ws);
    expect(second.stderr).toMatch(/a: corrupted cache entry [0-9a-f]{12} \(output "out" digest/);
    expect(statuses(second)).toEqual({ a: 'ran', b: 'cached', c: 'cached' });
    expect(readText(file)).toBe('hello');
  });

  test('same size and mtime put back after the write: the changed ctime still sends the entry to a full re-hash', async () => {
    const { ws, first } = await primed();
    const file = join(first.stages.a!.outputs.out!.path, 'text.txt');
    const before = statSync(file);
    chmodSync(file, 0o644);
    writeFileSync(file, 'jello');
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).size).toBe(before.size);
    const second = await runJson('pipeline.yaml', ws);
    expect(second.stderr).toMatch(/a: corrupted cache entry/);
    expect(statuses(second)).toEqual({ a: 'ran', b: 'cached', c: 'cached' });
  });

  test('outputs matching their stat.json snapshot are trusted; --verify-outputs re-hashes them anyway', async () => {
    const { ws, first } = await primed();
    const outputDir = first.stages.a!.outputs.out!.path;
    const file = join(outputDir, 'text.txt');
    chmodSync(file, 0o644);
    writeFileSync(file, 'tampered');
    // A snapshot that describes the tampered file (what the store would see if a change left no trace).
    const entryDir = dirname(dirname(outputDir));
    const info = statSync(file);
    writeFileSync(join(entryDir, 'stat.json'), JSON.stringify({ out: [['text.txt', info.size, info.mtimeMs, info.ctimeMs, info.ino]] }));
    const trusted = await runJson('pipeline.yaml', ws);
    expect(statuses(trusted)).toEqual({ a: 'cached', b: 'cached', c: 'cached' });
    const verified = await runJson('pipeline.yaml', ws, ['--verify-outputs']);
    expect(verified.stderr).toMatch(/a: corrupted cache entry/);
    expect(statuses(verified).a).toBe('ran');
    expect(readText(file)).toBe('hello');
  });

  test('a store entry without a snapshot (or copied elsewhere) is re-hashed once, then has one', async () => {
    const { ws, first } = await primed();
    const entryDir = dirname(dirname(first.stages.a!.outputs.out!.path));
    const snapshot = readText(join(entryDir, 'stat.json'));
    expect(JSON.parse(snapshot)).toHaveProperty('out');
    chmodSync(entryDir, 0o755);
    writeFileSync(join(entryDir, 'stat.json'), '{}');
    expect(statuses(await runJson('pipeline.yaml', ws)).a).toBe('cached');
    expect(readText(join(entryDir, 'stat.json')).trim()).toBe(snapshot.trim());
  });
});

describe('code: the key covers every file the plugin runs (issue 18, finding 1)', () => {
  const REP2 = `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SEP } from './helper.ts';

export default {
  id: 'fixture/rep2',
  version: '1',
  description: 'write text twice, joined by SEP',
  params: { type: 'object', properties: { text: { type: 'string' } } },
  inputs: {},
  outputs: { out: { kind: 'text' } },
  async run(ctx: { params: { text: string }; outputs: { out: { dir: string } } }) {
    await writeFile(join(ctx.outputs.out.dir, 'text.txt'), [ctx.params.text, ctx.params.text].join(SEP));
  },
};
`;
  const LOCAL = `stages:\n  rep:\n    uses: ./plugins/rep2.ts\n    with: { text: ab }\n  other:\n    uses: ./plugins/write.ts\n    with: { text: x }\n`;

  test('a local plugin importing SEP from ./helper.ts: changing SEP reruns the stage with the new output', async () => {
    const { ws, first } = await primed({ 'plugins/rep2.ts': REP2, 'plugins/helper.ts': "export const SEP = '-';\n" }, LOCAL);
    expect(readText(join(first.stages.rep!.outputs.out!.path, 'text.txt'))).toBe('ab-ab');
    ws.write('plugins/helper.ts', "export const SEP = '+';\n");
    const second = await runJson('pipeline.yaml', ws);
    expect(statuses(second)).toEqual({ rep: 'ran', other: 'cached' });
    expect(readText(join(second.stages.rep!.outputs.out!.path, 'text.txt'))).toBe('ab+ab');
    // Unchanged code: everything cached again.
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ rep: 'cached', other: 'cached' });
  });

  test('a helper two imports away counts too, and the entry records every file of the graph by workspace path', async () => {
    const files = {
      'plugins/rep2.ts': REP2.replace("from './helper.ts'", "from './lib/sep.ts'"),
      'plugins/lib/sep.ts': "export { SEP } from './deep.ts';\n",
      'plugins/lib/deep.ts': "export const SEP = '/';\n",
    };
    const { ws, first } = await primed(files, LOCAL);
    expect(readText(join(first.stages.rep!.outputs.out!.path, 'text.txt'))).toBe('ab/ab');
    const meta = JSON.parse(readText(join(dirname(dirname(first.stages.rep!.outputs.out!.path)), 'meta.json'))) as { components: { code: { files: Record<string, string> } } };
    expect(Object.keys(meta.components.code.files)).toEqual(['plugins/lib/deep.ts', 'plugins/lib/sep.ts', 'plugins/rep2.ts']);
    ws.write('plugins/lib/deep.ts', "export const SEP = '|';\n");
    const second = await runJson('pipeline.yaml', ws);
    expect(statuses(second)).toEqual({ rep: 'ran', other: 'cached' });
    expect(readText(join(second.stages.rep!.outputs.out!.path, 'text.txt'))).toBe('ab|ab');
  });

  /** A workspace (package.json `workspaces`) whose package `tunekit-plugin-ws` depends on the workspace package `ws-suffix`. */
  function workspacePackages() {
    const ws = fixtureWorkspace({
      'pipeline.yaml': `stages:\n  greet:\n    uses: tunekit-plugin-ws/greet\n  other:\n    uses: ./plugins/write.ts\n    with: { text: x }\n`,
      'packages/plugin/package.json': JSON.stringify({ name: 'tunekit-plugin-ws', version: '1.0.0', type: 'module', exports: { './stages': './src/stages.js' }, dependencies: { 'ws-suffix': '*' } }),
      'packages/plugin/src/stages.js': `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { greeting } from './greeting.js';
import { SUFFIX } from 'ws-suffix';
export const stages = [{
  id: 'tunekit-plugin-ws/greet', version: '1', description: 'greet', params: { type: 'object' }, inputs: {}, outputs: { out: { kind: 'text' } },
  async run(ctx) { await writeFile(join(ctx.outputs.out.dir, 'text.txt'), greeting() + SUFFIX); },
}];
`,
      'packages/plugin/src/greeting.js': "export const greeting = () => 'hello';\n",
      'packages/suffix/package.json': JSON.stringify({ name: 'ws-suffix', version: '1.0.0', type: 'module', exports: { '.': './src/index.js' } }),
      'packages/suffix/src/index.js': "export const SUFFIX = '!';\n",
    });
    mkdirSync(join(ws.dir, 'node_modules'), { recursive: true });
    symlinkSync('../packages/plugin', join(ws.dir, 'node_modules', 'tunekit-plugin-ws'));
    symlinkSync('../packages/suffix', join(ws.dir, 'node_modules', 'ws-suffix'));
    return ws;
  }

  test('a workspace package plugin edited without a version bump reruns (its own file, then a workspace dependency)', async () => {
    const ws = workspacePackages();
    const first = await runJson('pipeline.yaml', ws);
    expect(first.code).toBe(0);
    expect(readText(join(first.stages.greet!.outputs.out!.path, 'text.txt'))).toBe('hello!');
    ws.write('packages/plugin/src/greeting.js', "export const greeting = () => 'hi';\n");
    const second = await runJson('pipeline.yaml', ws);
    expect(statuses(second)).toEqual({ greet: 'ran', other: 'cached' });
    expect(readText(join(second.stages.greet!.outputs.out!.path, 'text.txt'))).toBe('hi!');
    ws.write('packages/suffix/src/index.js', "export const SUFFIX = '?';\n");
    const third = await runJson('pipeline.yaml', ws);
    expect(statuses(third)).toEqual({ greet: 'ran', other: 'cached' });
    expect(readText(join(third.stages.greet!.outputs.out!.path, 'text.txt'))).toBe('hi?');
    const meta = JSON.parse(readText(join(dirname(dirname(third.stages.greet!.outputs.out!.path)), 'meta.json'))) as { components: { code: { packages: Record<string, string> } } };
    expect(Object.keys(meta.components.code.packages)).toEqual(['tunekit-plugin-ws', 'ws-suffix']);
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ greet: 'cached', other: 'cached' });
  });
});
