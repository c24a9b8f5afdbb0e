/** Invalid pipelines: exit code 2 and a message naming file:line:col and what was expected. */
import { describe, expect, test } from '@jest/globals';
import { fixtureWorkspace, tunekit } from './helpers.ts';

async function runInvalid(pipeline: string, files: Record<string, string> = {}) {
  const ws = fixtureWorkspace({ 'pipeline.yaml': pipeline, ...files });
  const result = await tunekit(['run', 'pipeline.yaml', '--json'], { cwd: ws.dir, store: ws.store });
  return { ...result, ws };
}

describe('invalid pipelines exit 2 with file:line:col', () => {
  test('a cycle prints the cycle path', async () => {
    const result = await runInvalid(`stages:
  a:
    uses: ./plugins/upper.ts
    inputs: { src: c.out }
  b:
    uses: ./plugins/upper.ts
    inputs: { src: a.out }
  c:
    uses: ./plugins/upper.ts
    inputs: { src: b.out }
`);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('pipeline.yaml:7:20: cycle: a -> b -> c -> a');
  });

  test('an unknown stage in an input reference', async () => {
    const result = await runInvalid(`stages:\n  b:\n    uses: ./plugins/upper.ts\n    inputs: { src: nope.out }\n`);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('pipeline.yaml:4:20: unknown stage "nope" in input "src: nope.out" (stages: b)');
  });

  test('an unknown output of an existing stage', async () => {
    const result = await runInvalid(`stages:\n  a:\n    uses: ./plugins/write.ts\n    with: { text: x }\n  b:\n    uses: ./plugins/upper.ts\n    inputs: { src: a.model }\n`);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('pipeline.yaml:7:20: b: unknown output "model" of stage "a" (its outputs: out)');
  });

  test('an unknown plugin package', async () => {
    const result = await runInvalid(`stages:\n  a:\n    uses: no-such-package/stage\n`);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('pipeline.yaml:3:11: unknown plugin "no-such-package/stage": no package "@tunekit/no-such-package" (built-in) or "no-such-package" is installed');
  });

  test('an unknown stage in a known plugin package', async () => {
    const result = await runInvalid(`stages:\n  a:\n    uses: tunekit-plugin-fixture/nope\n`);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('pipeline.yaml:3:11: tunekit-plugin-fixture/stages exports no stage "tunekit-plugin-fixture/nope" (its stages: tunekit-plugin-fixture/echo)');
  });

  test('a missing local plugin module', async () => {
    const result = await runInvalid(`stages:\n  a:\n    uses: ./plugins/missing.ts\n`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^pipeline\.yaml:3:11: local plugin module not found: .*plugins\/missing\.ts$/m);
  });

  test('a param of the wrong type names the expected type at the value', async () => {
    const result = await runInvalid(`stages:\n  a:\n    uses: ./plugins/write.ts\n    with:\n      text: hi\n      repeat: "twice"\n`);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('pipeline.yaml:6:15: a: param repeat: expected integer, found string "twice"');
  });

  test('a missing input file named by a file param', async () => {
    const result = await runInvalid(`stages:\n  read:\n    uses: ./plugins/read-file.ts\n    with: { file: data/missing.tsv }\n`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^pipeline\.yaml:4:19: read: missing input file "data\/missing\.tsv" \(resolved to .*data\/missing\.tsv\)$/m);
  });

  test('malformed YAML', async () => {
    const result = await runInvalid(`stages:\n  a:\n    uses: ./plugins/write.ts\n    with: { text: [unclosed }\n`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^pipeline\.yaml:4:\d+: invalid YAML: /);
  });

  test('nothing runs and nothing is stored for an invalid pipeline', async () => {
    const result = await runInvalid(`stages:\n  a:\n    uses: ./plugins/write.ts\n    with: { text: 1 }\n`);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  test('a pipeline name that does not exist', async () => {
    const ws = fixtureWorkspace();
    const result = await tunekit(['run', 'nothing-here'], { cwd: ws.dir, store: ws.store });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no pipeline file "nothing-here"');
  });
});
