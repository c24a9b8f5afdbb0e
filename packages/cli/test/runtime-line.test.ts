/**
 * "Say the path taken": every `tunekit run` starts with one line naming the compute backend, gemm,
 * native kernels and workers (and how to get a missing faster path); the run record keeps the same
 * facts; `tunekit doctor` prints them one per line and checks the path with a real matMul.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRuntime, runtimeFacts } from '@tunekit/compute/runtime-facts';
import { fixtureWorkspace, lastJson, tunekit } from './helpers.ts';

const PIPELINE = `name: one\nstages:\n  a:\n    uses: ./plugins/write.ts\n    with: { text: hi }\n`;
/** Settings under test, others unset (CI sets TUNEKIT_NATIVE=1 TUNEKIT_GEMM=openblas). */
const CLEAN = { TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: '', TUNEKIT_NATIVE: '', TUNEKIT_WORKERS: '', TUNEKIT_WASM_THREADS: '' };

async function run(env: Record<string, string>) {
  const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
  const result = await tunekit(['run', 'pipeline.yaml', '--json'], { cwd: ws.dir, store: ws.store, env });
  expect(result.code).toBe(0);
  const { runId } = lastJson(result);
  const record = JSON.parse(readFileSync(join(ws.store, 'runs', `${runId}.json`), 'utf8'));
  return { firstLine: result.stderr.split('\n')[0], record };
}

describe('the start-of-run line and the run record', () => {
  test('the first line is this machine\'s compute path; the record keeps the same facts', async () => {
    const { firstLine, record } = await run(CLEAN);
    const facts = runtimeFacts({ ...process.env, ...CLEAN });
    expect(firstLine).toBe(describeRuntime(facts));
    expect(firstLine).toMatch(/^compute: wasm backend, gemm (openblas \d+\.\d+\.\d+ \w+.*|xnnpack), native kernels (on|off), \d+ data-parallel workers? /);
    expect(record.runtime).toEqual(facts);
  });

  test('settings change the line and the record: TUNEKIT_NATIVE=0 (XNNPACK, no native kernels), TUNEKIT_WORKERS=3', async () => {
    const { firstLine, record } = await run({ ...CLEAN, TUNEKIT_NATIVE: '0', TUNEKIT_WORKERS: '3' });
    expect(firstLine).toBe('compute: wasm backend, gemm xnnpack, native kernels off, 3 data-parallel workers (TUNEKIT_BACKEND=wasm TUNEKIT_NATIVE=0 TUNEKIT_WORKERS=3)');
    expect(record.runtime).toMatchObject({ backend: 'wasm', gemm: 'xnnpack', nativeKernels: false, workers: 3, hints: [], problems: [] });
  });
});

describe('tunekit doctor', () => {
  test('one fact per line, a passing matMul check, exit 0', async () => {
    const ws = fixtureWorkspace();
    const result = await tunekit(['doctor'], { cwd: ws.dir, store: ws.store, env: CLEAN });
    expect(result.code).toBe(0);
    const facts = runtimeFacts({ ...process.env, ...CLEAN });
    const lines = result.stdout.trim().split('\n');
    expect(lines.slice(0, 7).map((line) => line.split(/\s{2,}/)[0])).toEqual(['node', 'backend', 'gemm', 'OpenBLAS', 'native addon', 'native kernels', 'workers']);
    expect(result.stdout).toContain(`\ngemm            ${facts.gemm}\n`);
    expect(result.stdout).toContain(`\nworkers         ${facts.workers} `);
    expect(result.stdout).toMatch(new RegExp(`\\ncheck +matMul 48x40 · 40x56 on wasm \\(${facts.gemm.replace(/[.()]/g, '\\$&')}\\): relative error \\S+ <= 2\\.4e-6 \\(float32 bound\\): ok\\n`));
    for (const hint of facts.hints) expect(result.stdout).toContain(`faster path     ${hint}`);
  });

  test('an invalid setting is a problem: exit 1', async () => {
    const ws = fixtureWorkspace();
    const result = await tunekit(['doctor'], { cwd: ws.dir, store: ws.store, env: { ...CLEAN, TUNEKIT_WORKERS: 'many' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('problem         TUNEKIT_WORKERS="many" is not a worker count: expected an integer from 1 to 64');
  });
});
