/**
 * The warm pool with real worker processes: a worker serves several stages, each stage starts in
 * the worker's start-up state (env, cwd, globals, its plugin's module state), a stage that leaves
 * something behind or dies costs only its worker (replaced), and shutdown leaves no process.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StageOutcome } from '../src/runner/stage-process.ts';
import { WarmPool } from '../src/runner/warm-pool/pool.ts';
import type { RetirePolicy } from '../src/runner/warm-pool/settings.ts';
import { workspace } from './helpers.ts';

const probe = pathToFileURL(join(fileURLToPath(import.meta.url), '..', 'fixtures', 'warm-probe-stage.ts')).href;

interface Seen {
  pid: number;
  calls: number;
  helperCalls: number;
  cwd: string;
  leakedEnv: string | null;
  leakedGlobal: string | null;
  stageEnv: string;
}

const pools: WarmPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.shutdown()));
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function newPool(size = 1, policy: Partial<RetirePolicy> = {}): WarmPool {
  const pool = new WarmPool({ size, policy: { maxStages: 100, maxRssMb: 1024, ...policy } });
  pools.push(pool);
  return pool;
}

let counter = 0;
/** Run the probe stage once; its outcome, what it saw, and its log. */
async function runProbe(pool: WarmPool, mode: string, options: { signal?: AbortSignal; text?: string; onOutDir?: (dir: string) => void } = {}): Promise<{ outcome: StageOutcome; seen?: Seen; log: string; lines: string[]; outDir: string }> {
  const dir = workspace({});
  const id = `probe-${++counter}`;
  const outDir = join(dir, 'out');
  mkdirSync(outDir);
  options.onOutDir?.(outDir);
  const logFile = join(dir, 'stage.log');
  const log = createWriteStream(logFile);
  const lines: string[] = [];
  const outcome = await pool.run({
    message: {
      type: 'run',
      locator: { specifier: probe, parentURL: pathToFileURL(dir + '/').href, stageId: 'default' } as never,
      context: { stageId: id, params: { mode, ...(options.text !== undefined ? { text: options.text } : {}) }, inputs: {}, outputs: { out: { dir: outDir } }, seed: 0, pipelineDir: dir, workspaceRoot: dir, scratchDir: dir },
    },
    cwd: dir,
    log,
    signal: options.signal ?? new AbortController().signal,
    onMessage: () => undefined,
    onOutput: (_source, line) => lines.push(line),
  });
  await new Promise<void>((done) => log.end(done));
  const seenFile = join(outDir, 'seen.json');
  const seen = existsSync(seenFile) ? (JSON.parse(readFileSync(seenFile, 'utf8')) as Seen) : undefined;
  return { outcome, seen, log: readFileSync(logFile, 'utf8'), lines, outDir };
}

describe('reuse', () => {
  test('one worker process runs several stages in a row (one start for four stages)', async () => {
    const pool = newPool(1);
    const pids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { outcome, seen } = await runProbe(pool, 'ok');
      expect(outcome).toEqual({ ok: true });
      pids.push(seen!.pid);
    }
    expect(new Set(pids).size).toBe(1);
    expect(pids[0]).not.toBe(process.pid);
    expect(pool.stats.started).toBe(1);
    expect(pool.stats.stagesByPid.get(pids[0]!)).toBe(4);
    expect(pool.stats.retired).toEqual([]);
  });

  test('a worker is replaced after maxStages stages', async () => {
    const pool = newPool(1, { maxStages: 2 });
    const pids = [];
    for (let i = 0; i < 3; i++) pids.push((await runProbe(pool, 'ok')).seen!.pid);
    expect(pids[0]).toBe(pids[1]);
    expect(pids[2]).not.toBe(pids[0]);
    expect(pool.stats.retired).toEqual([['ran 2 stages (the limit)']]);
  });
});

describe('isolation between the stages of one worker', () => {
  test('environment, working directory and module state (plugin and the modules it imports) start fresh; the worker is kept', async () => {
    const pool = newPool(1);
    const first = await runProbe(pool, 'dirty-env-cwd');
    const second = await runProbe(pool, 'ok');
    expect(second.seen!.pid).toBe(first.seen!.pid);
    expect(second.seen).toMatchObject({ calls: 1, helperCalls: 1, leakedEnv: null, stageEnv: `probe-${counter}` });
    expect(second.seen!.cwd).not.toBe('/');
    expect(first.seen!.cwd).not.toBe(second.seen!.cwd); // each stage runs in its own pipeline directory
    expect(pool.stats.retired).toEqual([]);
  });

  test.each([
    ['dirty-global', /^globals changed: tunekitProbeLeak$/],
    ['timer', /^handles left open: Timeout ×1$/],
    ['listener', /^process listeners added: exit ×1$/],
  ])('a stage that leaves %s behind retires its worker: the next stage runs in a new process', async (mode, reason) => {
    const pool = newPool(1);
    const first = await runProbe(pool, mode);
    expect(first.outcome).toEqual({ ok: true });
    const second = await runProbe(pool, 'ok');
    expect(second.seen!.pid).not.toBe(first.seen!.pid);
    expect(second.seen!.leakedGlobal).toBeNull();
    expect(pool.stats.retired).toHaveLength(1);
    expect(pool.stats.retired[0]![0]).toMatch(reason);
    expect(isAlive(first.seen!.pid)).toBe(false);
  });
});

describe('a stage that fails', () => {
  test.each([
    ['throw', 'probe threw on purpose'],
    ['exit', 'stage process exited with code 1 before finishing'],
    ['sigkill', 'stage process killed by SIGKILL (killed; out of memory?)'],
    ['reject', 'probe rejected on purpose'],
  ])('by %s fails alone, with the cold path\'s reason; the pool replaces its worker', async (mode, error) => {
    const pool = newPool(1);
    const before = await runProbe(pool, 'ok');
    const failed = await runProbe(pool, mode);
    expect(failed.outcome).toEqual({ ok: false, error });
    const after = await runProbe(pool, 'ok');
    expect(after.outcome).toEqual({ ok: true });
    expect(after.seen!.pid).not.toBe(before.seen!.pid);
    expect(isAlive(before.seen!.pid)).toBe(false);
    expect(pool.stats.started).toBe(2);
  });

  test('a stage killed from outside (SIGKILL of its worker) fails; the next one runs', async () => {
    const pool = newPool(1);
    const controller = new AbortController();
    let outDir = '';
    const hanging = runProbe(pool, 'hang', { signal: controller.signal, onOutDir: (dir) => (outDir = dir) });
    // wait until the stage wrote what it saw (its pid), then kill its worker
    const pid = await new Promise<number>((resolve) => {
      const timer = setInterval(() => {
        if (!existsSync(join(outDir, 'half-written.bin'))) return;
        clearInterval(timer);
        resolve((JSON.parse(readFileSync(join(outDir, 'seen.json'), 'utf8')) as Seen).pid);
      }, 20);
    });
    process.kill(pid, 'SIGKILL');
    const result = await hanging;
    expect(result.outcome).toEqual({ ok: false, error: 'stage process killed by SIGKILL (killed; out of memory?)' });
    expect((await runProbe(pool, 'ok')).outcome).toEqual({ ok: true });
  });

  test('an aborted stage is interrupted and its worker ended (SIGTERM)', async () => {
    const pool = newPool(1);
    const controller = new AbortController();
    const hanging = runProbe(pool, 'hang', { signal: controller.signal });
    setTimeout(() => controller.abort(), 1500);
    const result = await hanging;
    expect(result.outcome).toEqual({ ok: false, error: 'interrupted' });
    const pids = [...pool.stats.stagesByPid.keys()];
    expect(pids).toHaveLength(1);
    expect(isAlive(pids[0]!)).toBe(false);
  });
});

describe('logs', () => {
  test('each stage\'s output goes to its own log, its last unterminated line included', async () => {
    const pool = newPool(1);
    const first = await runProbe(pool, 'print', { text: 'first line\nno newline at the end' });
    const second = await runProbe(pool, 'print', { text: 'second\n' });
    expect(first.seen!.pid).toBe(second.seen!.pid);
    expect(first.log).toBe('first line\nno newline at the end');
    expect(first.lines).toEqual(['first line', 'no newline at the end']);
    expect(second.log).toBe('second\n');
    expect(second.lines).toEqual(['second']);
  });
});

describe('shutdown', () => {
  test('ends every worker, idle or busy: no process is left', async () => {
    const pool = newPool(2);
    const [a, b] = await Promise.all([runProbe(pool, 'ok'), runProbe(pool, 'ok')]);
    const pids = [a.seen!.pid, b.seen!.pid];
    expect(new Set(pids).size).toBe(2);
    const busy = runProbe(pool, 'hang');
    await new Promise((done) => setTimeout(done, 1000));
    await pool.shutdown();
    for (const pid of [...pool.stats.stagesByPid.keys(), ...pids]) expect(isAlive(pid)).toBe(false);
    expect((await busy).outcome.ok).toBe(false);
  });
});
