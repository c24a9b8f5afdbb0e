/**
 * `npx nx g @tunekit/nx-plugin:stage-plugin <name>` end to end, in a temporary copy of the
 * workspace: the package it writes passes its own typecheck and test under `nx run-many -t
 * typecheck test` (what `npm test` runs), and a pipeline can use its stage at once.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec, shown, stopRunning, type ExecResult } from './helpers/exec.ts';
import { copyWorkspace } from './helpers/temp-workspace.ts';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const NAME = 'greeter';
// No Nx daemon or cloud; plugins in-process (half the CPU of Nx's plugin workers, same results).
const ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_ISOLATE_PLUGINS: 'false', CI: '1', NO_COLOR: '1', TUNEKIT_TRACKING: '0' };
/** Each step takes seconds on an idle machine (the whole file ~30 s); the bound leaves room for a busy one. */
const SLOW = 300_000;

let copy: string;
let generated: ExecResult;
beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'tunekit-generator-'));
  copyWorkspace(root, copy);
  generated = await exec('npx', ['nx', 'g', '@tunekit/nx-plugin:stage-plugin', NAME, '--no-interactive'], { cwd: copy, env: ENV });
}, SLOW);
afterAll(() => {
  stopRunning();
  rmSync(copy, { recursive: true, force: true });
});

/** `tunekit run` in the copy on a pipeline file written there, with the copy's own store. */
function runPipeline(file: string, yaml: string, args: string[] = []): Promise<ExecResult> {
  mkdirSync(join(copy, 'pipelines'), { recursive: true });
  writeFileSync(join(copy, 'pipelines', file), yaml);
  return exec(process.execPath, ['packages/cli/bin/tunekit.js', 'run', `pipelines/${file}`, ...args], { cwd: copy, env: { ...ENV, TUNEKIT_HOME: join(copy, 'store') } });
}

describe('nx g @tunekit/nx-plugin:stage-plugin', () => {
  test('writes packages/<name>, links node_modules/@tunekit/<name> to it and lists it in package-lock.json', () => {
    expect({ code: generated.code, output: shown(generated) }).toEqual({ code: 0, output: expect.stringContaining(`CREATE packages/${NAME}/src/stages/example.ts`) });
    const pkg = join(copy, 'packages', NAME);
    for (const file of ['package.json', 'README.md', 'tsconfig.json', 'jest.config.js', 'src/stages/example.ts', 'src/stages/index.ts', 'test/example.test.ts']) {
      expect(existsSync(join(pkg, file))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'))).toEqual(
      expect.objectContaining({ name: `@tunekit/${NAME}`, type: 'module', exports: { './stages': './src/stages/index.ts' } }),
    );
    expect(realpathSync(join(copy, 'node_modules', '@tunekit', NAME))).toBe(realpathSync(pkg));
    const lock = JSON.parse(readFileSync(join(copy, 'package-lock.json'), 'utf8')) as { packages: Record<string, { name?: string; resolved?: string }> };
    expect(lock.packages[`packages/${NAME}`]?.name).toBe(`@tunekit/${NAME}`);
    expect(lock.packages[`node_modules/@tunekit/${NAME}`]?.resolved).toBe(`packages/${NAME}`);
  });

  test('the generated package passes its typecheck and test under nx run-many -t typecheck test (npm test)', async () => {
    const result = await exec('npx', ['nx', 'run-many', '-t', 'typecheck', 'test', '-p', `@tunekit/${NAME}`, '--outputStyle=stream', '--skip-nx-cache'], { cwd: copy, env: ENV });
    expect({ code: result.code, output: shown(result) }).toEqual({ code: 0, output: expect.stringContaining('Tests:       2 passed, 2 total') });
    expect(shown(result)).toMatch(new RegExp(`Successfully ran targets typecheck, test for project @tunekit/${NAME}`));
  }, SLOW);

  test(`a pipeline with uses: ${NAME}/example runs (exit 0) and writes out/greeting.txt`, async () => {
    const result = await runPipeline('greet.yaml', `name: greet\nstages:\n  hello:\n    uses: ${NAME}/example\n    with: { greeting: Hello }\n`, ['--json']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const run = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { stages: Record<string, { status: string; outputs: Record<string, { path: string }> }> };
    expect(run.stages.hello!.status).toBe('ran');
    expect(readFileSync(join(run.stages.hello!.outputs.out!.path, 'greeting.txt'), 'utf8')).toBe('Hello\n');
  }, SLOW);

  test('a greeting that is not a string: exit 2, and the message names file:line:col', async () => {
    const result = await runPipeline('bad.yaml', `name: bad\nstages:\n  hello:\n    uses: ${NAME}/example\n    with:\n      greeting: 3\n`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pipelines/bad.yaml:6:17: hello: param greeting: expected string, found number 3');
  }, SLOW);
});
