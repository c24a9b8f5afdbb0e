/**
 * runPipeline with warm workers (the default) against a new process per stage (warmWorkers: false):
 * same keys and output digests, fewer processes; an interrupted or killed stage leaves no store
 * entry and no temp directory, and the run leaves no worker process behind.
 */
import { describe, expect, test } from '@jest/globals';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline, type RunResult } from '../src/runner/run-pipeline.ts';
import { loadPipeline } from '../src/spec/load-pipeline.ts';
import { workspace } from './helpers.ts';

const fixtures = join(fileURLToPath(import.meta.url), '..', 'fixtures');

const chainPipeline = `name: warm-chain
stages:
  root:
    uses: ./chain-stage.ts
    with: { text: root }
  cell:
    uses: ./chain-stage.ts
    matrix: { text: [a, b, c, d] }
    inputs: { prev: root.out }
    with: { text: "\${matrix.text}" }
  leaf:
    uses: ./chain-stage.ts
    inputs: { prev: "cell[text=c].out" }
    with: { text: leaf }
`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stagePids(result: RunResult): number[] {
  return Object.values(result.stages).map((stage) => Number(/pid=(\d+)/.exec(readFileSync(stage.log!, 'utf8'))![1]));
}

function digests(result: RunResult): Record<string, { key: string | null; out: string }> {
  return Object.fromEntries(Object.entries(result.stages).map(([id, stage]) => [id, { key: stage.key, out: stage.outputs.out!.digest }]));
}

async function chainRun(warmWorkers: boolean): Promise<RunResult> {
  const dir = workspace({ 'pipeline.yaml': chainPipeline });
  copyFileSync(join(fixtures, 'chain-stage.ts'), join(dir, 'chain-stage.ts'));
  const pipeline = await loadPipeline(join(dir, 'pipeline.yaml'));
  return runPipeline(pipeline, { jobs: 2, storeRoot: join(dir, 'store'), warmWorkers });
}

describe('warm workers against a new process per stage', () => {
  test('same cache keys and output digests; 6 stages on at most 2 warm processes, 6 cold ones; no process left', async () => {
    const warm = await chainRun(true);
    const cold = await chainRun(false);
    expect(warm.status).toBe('succeeded');
    expect(cold.status).toBe('succeeded');
    expect(Object.keys(warm.stages)).toHaveLength(6);
    expect(digests(warm)).toEqual(digests(cold));
    const warmPids = stagePids(warm);
    expect(new Set(warmPids).size).toBeLessThanOrEqual(2);
    expect(new Set(stagePids(cold)).size).toBe(6);
    for (const pid of [...warmPids, ...stagePids(cold)]) expect(isAlive(pid)).toBe(false);
  });
});

describe('a stage stopped while it writes its outputs', () => {
  const hangPipeline = 'name: warm-hang\nstages:\n  hang:\n    uses: ./warm-probe-stage.ts\n    with: { mode: hang }\n  quick:\n    uses: ./warm-probe-stage.ts\n';

  async function startHanging(): Promise<{ dir: string; store: string; controller: AbortController; running: Promise<RunResult>; pid: Promise<number> }> {
    const dir = workspace({ 'pipeline.yaml': hangPipeline });
    copyFileSync(join(fixtures, 'warm-probe-stage.ts'), join(dir, 'warm-probe-stage.ts'));
    copyFileSync(join(fixtures, 'warm-probe-helper.ts'), join(dir, 'warm-probe-helper.ts'));
    const store = join(dir, 'store');
    const controller = new AbortController();
    const pipeline = await loadPipeline(join(dir, 'pipeline.yaml'));
    const running = runPipeline(pipeline, { jobs: 2, storeRoot: store, signal: controller.signal, warmWorkers: true });
    // The hanging stage's half-written output appears in the store's tmp/ entry: its pid is in seen.json next to it.
    const pid = new Promise<number>((resolve) => {
      const timer = setInterval(() => {
        const tmp = join(store, 'tmp');
        for (const entry of existsSync(tmp) ? readdirSync(tmp) : []) {
          const out = join(tmp, entry, 'outputs', 'out');
          if (existsSync(join(out, 'half-written.bin'))) {
            clearInterval(timer);
            resolve((JSON.parse(readFileSync(join(out, 'seen.json'), 'utf8')) as { pid: number }).pid);
          }
        }
      }, 50);
    });
    return { dir, store, controller, running, pid };
  }

  function objectsOf(store: string, key: string): boolean {
    return existsSync(join(store, 'objects', key.slice(0, 2), key));
  }

  test('interrupted (Ctrl-C): the run is interrupted, no entry, no temp directory, the worker is gone', async () => {
    const { store, controller, running, pid } = await startHanging();
    const workerPid = await pid;
    controller.abort();
    const result = await running;
    expect(result.status).toBe('interrupted');
    expect(result.stages.hang).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(objectsOf(store, result.stages.hang!.key!)).toBe(false);
    expect(readdirSync(join(store, 'tmp'))).toEqual([]);
    expect(isAlive(workerPid)).toBe(false);
  });

  test('its worker SIGKILLed: the stage fails alone, no entry for it, no temp directory; the other stage is stored', async () => {
    const { store, running, pid } = await startHanging();
    process.kill(await pid, 'SIGKILL');
    const result = await running;
    expect(result.status).toBe('failed');
    expect(result.stages.hang).toMatchObject({ status: 'failed', error: 'stage process killed by SIGKILL (killed; out of memory?)' });
    expect(result.stages.quick!.status).toBe('ran');
    expect(objectsOf(store, result.stages.hang!.key!)).toBe(false);
    expect(objectsOf(store, result.stages.quick!.key!)).toBe(true);
    expect(readdirSync(join(store, 'tmp'))).toEqual([]);
  });
});
