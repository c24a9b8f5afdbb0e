/** The four kinds of `uses:`: local module, npm package, built-in package, command. */
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { fixtureWorkspace, readText, runJson, tunekit } from './helpers.ts';

describe('plugin kinds', () => {
  test('an npm package exporting stages (resolved from the pipeline directory)', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': `stages:\n  echo:\n    uses: tunekit-plugin-fixture/echo\n    with: { message: from npm }\n` });
    const run = await runJson('pipeline.yaml', ws);
    expect(run.code).toBe(0);
    expect(readText(join(run.stages.echo!.outputs.out!.path, 'message.txt'))).toBe('from npm');
  });

  test('a built-in stage (data-prep/conll → @tunekit/data-prep, export ./stages) resolves from anywhere', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': `stages:\n  corpus:\n    uses: data-prep/conll\n  up:\n    uses: ./plugins/upper.ts\n    inputs: { src: corpus.nope }\n` });
    // resolution and output checking need the plugin's definition: the error names its real outputs
    const result = await tunekit(['dag', 'pipeline.yaml'], { cwd: ws.dir, store: ws.store });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^pipeline\.yaml:6:20: up: unknown output "nope" of stage "corpus" \(its outputs: dataset\)$/m);
  });

  test('a local JavaScript module exporting several stages, one picked with #id', async () => {
    const ws = fixtureWorkspace({
      'pipeline.yaml': `stages:\n  pick:\n    uses: "./plugins/many.js#local/second"\n`,
      'plugins/many.js': `import { writeFile } from 'node:fs/promises';
const make = (id, text) => ({ id, version: '1', description: id, params: { type: 'object' }, inputs: {}, outputs: { out: { kind: 'text' } },
  async run(ctx) { await writeFile(ctx.outputs.out.dir + '/text.txt', text); } });
export const stages = [make('local/first', 'one'), make('local/second', 'two')];
`,
    });
    const run = await runJson('pipeline.yaml', ws);
    expect(run.code).toBe(0);
    expect(readText(join(run.stages.pick!.outputs.out!.path, 'text.txt'))).toBe('two');
  });

  test('a command gets TUNEKIT_INPUT_*, TUNEKIT_OUTPUT_*, TUNEKIT_PARAMS and ${...} substitutions', async () => {
    const ws = fixtureWorkspace({
      'pipeline.yaml': `params: { tag: v1 }
stages:
  a:
    uses: ./plugins/write.ts
    with: { text: abc }
  copy:
    uses: command
    inputs: { src: a.out }
    outputs: [out, listing]
    with: { suffix: "-\${params.tag}" }
    run: [node, copy.mjs, "\${params.suffix}", "\${params.tag}", "\${inputs.src}/text.txt", "\${outputs.listing}"]
`,
    });
    const run = await runJson('pipeline.yaml', ws);
    expect(run.code).toBe(0);
    const srcPath = join(run.stages.a!.outputs.out!.path, 'text.txt');
    const tmpListing = readText(join(run.stages.copy!.outputs.out!.path, 'text.txt')).split(',').at(-1)!;
    expect(readText(join(run.stages.copy!.outputs.out!.path, 'text.txt'))).toBe(`abc-v1:-v1,v1,${srcPath},${tmpListing}`);
    expect(tmpListing).toMatch(/\/tmp\/[0-9a-f]{64}\.[A-Za-z0-9_]+-\d+\.[0-9a-f]{8}\/outputs\/listing$/); // <key>.<host>-<pid>.<random>
  });

  test('a command that fails exits the run with 1 and names the exit code', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': `stages:\n  bad:\n    uses: command\n    outputs: [out]\n    run: [node, -e, "process.exit(3)"]\n` });
    const run = await runJson('pipeline.yaml', ws);
    expect(run.code).toBe(1);
    expect(run.stages.bad!.error).toBe('command "node" exited with code 3');
  });
});
