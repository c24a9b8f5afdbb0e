/**
 * One error boundary (ARCHITECTURE.md "Errors", issue 18 finding 2): an expected failure is one
 * message naming the file (line:col where there is one), exit 2; an internal error says so, exit 1;
 * stack traces only with --debug / TUNEKIT_DEBUG=1.
 */
import { describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWorkspace, tunekit } from './helpers.ts';

const STACK_FRAME = /^\s+at /m;

async function runWith(plugin: string, source?: string, extra: string[] = [], env: Record<string, string> = {}) {
  const files: Record<string, string> = { 'pipeline.yaml': `stages:\n  a:\n    uses: ${plugin}\n` };
  if (source !== undefined) files[plugin] = source;
  const ws = fixtureWorkspace(files);
  return tunekit(['run', 'pipeline.yaml', ...extra], { cwd: ws.dir, store: ws.store, env });
}

describe('plugin modules that cannot be loaded are user errors (exit 2, one line, no stack)', () => {
  test('a syntax error names the module at line:col', async () => {
    const result = await runWith('./plugins/syntax.ts', "export default {\n  id: 'x', version: '1'\n  params: {},\n};\n");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('pipeline.yaml:3:11: cannot load plugin module: ./plugins/syntax.ts:3:3: syntax error: Expected "}" but found "params"\n');
  });

  test('a module that throws at import names the line of the throw', async () => {
    const result = await runWith('./plugins/throws.ts', "const x = 1;\nthrow new Error('boom at import');\nexport default x;\n");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('pipeline.yaml:3:11: cannot load plugin module: ./plugins/throws.ts:2:7: the module threw while loading: boom at import\n');
  });

  test('an invalid params schema names the module and the stage', async () => {
    const result = await runWith('./plugins/schema.ts', "export default { id: 'bad', version: '1', description: '', params: { type: 'objekt' }, inputs: {}, outputs: {}, async run() {} };\n");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^pipeline\.yaml:3:11: \.\/plugins\/schema\.ts: stage "bad" has an invalid params schema: schema is invalid: data\/type must be equal to one of the allowed values[^\n]*\n$/);
  });

  test('uses: /etc/passwd is "not a plugin module" and nothing of the file is printed', async () => {
    const result = await runWith('/etc/passwd');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('pipeline.yaml:3:11: /etc/passwd is not a plugin module: expected a .ts, .mts, .js or .mjs file\n');
    expect(result.stdout + result.stderr).not.toContain('root:');
  });

  test('a directory or a device is not a plugin module either', async () => {
    for (const path of ['/etc', '/dev/zero']) {
      const result = await runWith(path);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`pipeline.yaml:3:11: ${path} is not a plugin module: not a regular file\n`);
    }
  });

  test('--debug (and TUNEKIT_DEBUG=1) adds the stack to the same message', async () => {
    const source = "throw new Error('boom at import');\n";
    for (const [extra, env] of [[['--debug'], {}], [[], { TUNEKIT_DEBUG: '1' }]] as const) {
      const result = await runWith('./plugins/throws.ts', source, [...extra], { ...env });
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe('pipeline.yaml:3:11: cannot load plugin module: ./plugins/throws.ts:1:7: the module threw while loading: boom at import');
      expect(result.stderr).toMatch(STACK_FRAME);
    }
  });
});

describe('internal errors', () => {
  test('say "internal error", exit 1, and point to --debug; the stack only with it', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': 'stages:\n  a:\n    uses: command\n    run: [node, -e, "0"]\n    outputs: []\n' });
    const notADirectory = join(ws.dir, 'store-is-a-file');
    writeFileSync(notADirectory, 'x');
    const plain = await tunekit(['run', 'pipeline.yaml'], { cwd: ws.dir, store: notADirectory });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^tunekit run: internal error: EEXIST: file already exists, mkdir '.*store-is-a-file' \(rerun with --debug for the stack\)\n$/);
    const debug = await tunekit(['run', 'pipeline.yaml', '--debug'], { cwd: ws.dir, store: notADirectory });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^tunekit run: internal error: EEXIST[^\n]*\n/);
    expect(debug.stderr).toMatch(STACK_FRAME);
  });
});

describe('hostile pipeline files through the binary (issue 18, findings 3 and 4)', () => {
  test('an alias bomb and a 10^10-cell matrix: exit 2, one line at file:line:col, promptly', async () => {
    const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) laughs.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    const axes = Array.from({ length: 10 }, (_, i) => `k${i}: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]`).join(', ');
    const ws = fixtureWorkspace({
      'laughs.yaml': `${laughs.join('\n')}\nstages: {}\n`,
      'matrix.yaml': `stages:\n  a:\n    uses: command\n    run: [echo]\n    outputs: [out]\n    matrix: { ${axes} }\n`,
    });
    const bomb = await tunekit(['run', 'laughs.yaml'], { cwd: ws.dir, store: ws.store });
    expect(bomb.code).toBe(2);
    expect(bomb.stderr).toBe('laughs.yaml:2:8: YAML aliases expand to too many nodes (more than 1000: limit TUNEKIT_MAX_YAML_ALIASES)\n');
    const matrix = await tunekit(['dag', 'matrix.yaml'], { cwd: ws.dir, store: ws.store });
    expect(matrix.code).toBe(2);
    expect(matrix.stderr).toMatch(/^matrix\.yaml:6:13: a: 10000000000 cells \(k0: 10 × [^\n]*\), more than the limit of 10000 \(TUNEKIT_MAX_MATRIX_CELLS\)\n$/);
  });
});
