/** docs/cache-key.md component 11 (`code`): what a plugin's code component holds and when it changes. */
import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_STAT_FILE, CodeDigester } from '../src/cache/code-digest.ts';
import { workspace } from './helpers.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('a local plugin: every local file of its import graph', () => {
  const files = {
    'plugins/rep2.ts': "import { SEP } from './helper.ts';\nimport type { X } from './types.ts';\nexport default { sep: SEP } as X;\n",
    'plugins/helper.ts': "export { SEP } from './deeper/sep.js';\n",
    'plugins/deeper/sep.ts': "export const SEP = '-';\n",
    'plugins/types.ts': 'export type X = unknown;\n',
    'plugins/unrelated.ts': 'export const nothing = 1;\n',
  };

  test('files are keyed by workspace path with the sha256 of their bytes (type-only imports and unimported files are not code)', async () => {
    const root = workspace(files);
    const code = await new CodeDigester(root).codeOf({ kind: 'local', file: join(root, 'plugins/rep2.ts') });
    expect(code).toEqual({
      files: {
        'plugins/deeper/sep.ts': sha(files['plugins/deeper/sep.ts']),
        'plugins/helper.ts': sha(files['plugins/helper.ts']),
        'plugins/rep2.ts': sha(files['plugins/rep2.ts']),
      },
      packages: {},
    });
  });

  test('a new digester reading the stat index sees an edit (same size) of a file of the graph', async () => {
    const root = workspace(files);
    const store = join(root, 'store');
    const entry = { kind: 'local' as const, file: join(root, 'plugins/rep2.ts') };
    const first = new CodeDigester(root, store);
    expect((await first.codeOf(entry)).files['plugins/deeper/sep.ts']).toBe(sha("export const SEP = '-';\n"));
    await first.save();
    expect(JSON.parse(readFileSync(join(store, CODE_STAT_FILE), 'utf8')).graphs).toHaveProperty([entry.file]);
    writeFileSync(join(root, 'plugins/deeper/sep.ts'), "export const SEP = '+';\n");
    const second = await new CodeDigester(root, store).codeOf(entry);
    expect(second.files['plugins/deeper/sep.ts']).toBe(sha("export const SEP = '+';\n"));
  });

  test('a file newly imported after an edit joins the graph', async () => {
    const root = workspace(files);
    const store = join(root, 'store');
    const entry = { kind: 'local' as const, file: join(root, 'plugins/rep2.ts') };
    const first = new CodeDigester(root, store);
    await first.codeOf(entry);
    await first.save();
    writeFileSync(join(root, 'plugins/helper.ts'), "export { SEP } from './deeper/sep.js';\nexport { nothing } from './unrelated.ts';\n");
    expect(Object.keys((await new CodeDigester(root, store).codeOf(entry)).files)).toContain('plugins/unrelated.ts');
  });

  test('a bare import: a workspace package by the digest of its sources, a third-party package by version', async () => {
    const root = workspace({
      'plugins/p.ts': "import { a } from 'ws-lib';\nimport { b } from 'third/sub';\nexport default [a, b];\n",
      'packages/lib/package.json': JSON.stringify({ name: 'ws-lib', version: '1.0.0', exports: './src/index.js' }),
      'packages/lib/src/index.js': 'export const a = 1;\n',
      'node_modules/third/package.json': JSON.stringify({ name: 'third', version: '3.1.4' }),
    });
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    symlinkSync('../packages/lib', join(root, 'node_modules', 'ws-lib'));
    const entry = { kind: 'local' as const, file: join(root, 'plugins/p.ts') };
    const before = await new CodeDigester(root).codeOf(entry);
    expect(before.packages.third).toBe('3.1.4');
    expect(before.packages['ws-lib']).toMatch(/^sha256:[0-9a-f]{64}$/);
    writeFileSync(join(root, 'packages/lib/src/index.js'), 'export const a = 2;\n');
    const after = await new CodeDigester(root).codeOf(entry);
    expect(after.packages['ws-lib']).not.toBe(before.packages['ws-lib']);
    expect(after.packages.third).toBe('3.1.4');
  });
});

describe('this repository', () => {
  test('a built-in package reaches its workspace dependencies; @tunekit/pipeline counts by its SDK files only', async () => {
    const store = workspace({});
    const digester = new CodeDigester(REPO, store);
    const code = await digester.codeOf({ kind: 'package', name: '@tunekit/training', dir: join(REPO, 'node_modules', '@tunekit', 'training') });
    expect(code.files).toEqual({});
    expect(Object.keys(code.packages)).toEqual(expect.arrayContaining(['@tunekit/training', '@tunekit/compute', '@tunekit/model-loader', '@tunekit/pipeline']));
    for (const digest of Object.values(code.packages)) expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    await digester.save();
    const engine = JSON.parse(readFileSync(join(store, CODE_STAT_FILE), 'utf8')).graphs[join(REPO, 'packages/pipeline/src/index.ts')].files as string[];
    const shown = engine.map((file) => file.slice(REPO.length + 1));
    expect(shown).toEqual(expect.arrayContaining(['packages/pipeline/src/index.ts', 'packages/pipeline/src/sdk/define-stage.ts', 'packages/pipeline/src/sdk/seeded-random.ts']));
    expect(shown.filter((file) => /runner|cache\/|records\//.test(file))).toEqual([]);
  });
});

describe('imports that do not resolve', () => {
  test('an optional dynamic import of a missing file is left out of the graph, not an error', async () => {
    const root = workspace({ 'plugins/p.ts': "import { a } from './a.ts';\nexport async function later() { return import('./not-there.ts'); }\nexport default a;\n", 'plugins/a.ts': 'export const a = 1;\n' });
    const code = await new CodeDigester(root).codeOf({ kind: 'local', file: join(root, 'plugins/p.ts') });
    expect(Object.keys(code.files)).toEqual(['plugins/a.ts', 'plugins/p.ts']);
  });
});
