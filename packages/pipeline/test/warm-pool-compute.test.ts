/**
 * tfjs and native code in a warm worker: a stage that selects the backend in a worker that ran
 * another stage before gets the same backend, threads, gemm, fingerprint and matMul bytes as in a
 * new process; and the worker then retires (tfjs's engine, kernels and wasm heap are per process),
 * so no stage ever runs in a process where another stage loaded tfjs.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runStageProcess, type StageOutcome, type StageProcessOptions } from '../src/runner/stage-process.ts';
import { WarmPool } from '../src/runner/warm-pool/pool.ts';
import { workspace } from './helpers.ts';

const fixture = (name: string) => pathToFileURL(join(fileURLToPath(import.meta.url), '..', 'fixtures', name)).href;

const pool = new WarmPool({ size: 1, policy: { maxStages: 100, maxRssMb: 4096 } });
afterAll(() => pool.shutdown());

async function stageIn(run: (options: StageProcessOptions) => Promise<StageOutcome>, plugin: string, params: Record<string, unknown> = {}): Promise<{ outcome: StageOutcome; out: string }> {
  const dir = workspace({});
  const out = join(dir, 'out');
  mkdirSync(out);
  const log = createWriteStream(join(dir, 'stage.log'));
  const outcome = await run({
    message: {
      type: 'run',
      locator: { specifier: fixture(plugin), parentURL: pathToFileURL(dir + '/').href, stageId: 'default' } as never,
      context: { stageId: plugin, params, inputs: {}, outputs: { out: { dir: out } }, seed: 0, pipelineDir: dir, workspaceRoot: dir, scratchDir: dir },
    },
    cwd: dir,
    log,
    signal: new AbortController().signal,
    onMessage: () => undefined,
  });
  await new Promise<void>((done) => log.end(done));
  return { outcome, out };
}

describe('the compute path in a reused worker', () => {
  test('same backend, threads, gemm, fingerprint and matMul bytes as a new process; the worker retires after tfjs', async () => {
    const first = await stageIn((o) => pool.run(o), 'warm-probe-stage.ts');
    const warm = await stageIn((o) => pool.run(o), 'compute-probe-stage.ts');
    const cold = await stageIn(runStageProcess, 'compute-probe-stage.ts');
    expect([warm.outcome, cold.outcome]).toEqual([{ ok: true }, { ok: true }]);
    const firstPid = (JSON.parse(readFileSync(join(first.out, 'seen.json'), 'utf8')) as { pid: number }).pid;
    expect(Number(readFileSync(join(warm.out, 'pid.txt'), 'utf8'))).toBe(firstPid); // really the reused process
    const warmReport = JSON.parse(readFileSync(join(warm.out, 'compute.json'), 'utf8'));
    expect(warmReport).toEqual(JSON.parse(readFileSync(join(cold.out, 'compute.json'), 'utf8')));
    expect(pool.stats.retired).toHaveLength(1);
    expect(pool.stats.retired[0]![0]).toMatch(/^tfjs loaded/);
    const next = await stageIn((o) => pool.run(o), 'warm-probe-stage.ts');
    expect((JSON.parse(readFileSync(join(next.out, 'seen.json'), 'utf8')) as { pid: number }).pid).not.toBe(firstPid);
  });
});
