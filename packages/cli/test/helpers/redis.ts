/**
 * The redis executor tests' set-up: a real redis-server started on 127.0.0.1 at a free private
 * port (never another address), in its own temp directory, stopped by `stop()`; `tunekit worker`
 * processes against it; workspaces with the sleep-and-hash command stage; and `redisSuite()`,
 * which starts one server for a test file and stops it and every worker at the end.
 */
import { afterAll, beforeAll, expect } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, fixtureWorkspace, tempDir, tunekit, type CliResult } from '../helpers.ts';

export const HAS_REDIS = spawnSync('redis-server', ['--version']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Stop, then start again on the same port and data directory (AOF: queued jobs survive). */
  restart(downMs?: number): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = tempDir('tunekit-redis-');
  let child: ChildProcess | undefined;
  const start = async () => {
    let out = '';
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk) => (out += chunk));
    await waitFor(() => /Ready to accept connections/.test(out), 10_000, `redis-server on port ${port}\n${out}`);
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    async restart(downMs = 1500) {
      await stop();
      await new Promise((done) => setTimeout(done, downMs));
      await start();
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Stages this worker took (its `<stage>: taken` lines). */
  taken(): string[];
  /** Stages this worker ran to the end (`done`, not `done (already in the store…)`). */
  ran(): string[];
  exited: Promise<number | null>;
}

/**
 * Start `tunekit worker` and wait until it listens. `store` is its `--store`; `home` its
 * TUNEKIT_HOME (default `store`; an S3 store keeps this machine's local copies there).
 */
export async function startWorker(options: { cwd: string; store: string; home?: string; url: string; concurrency?: number; env?: Record<string, string> }): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', options.url, '--store', options.store, '--concurrency', String(options.concurrency ?? 1)], {
    cwd: options.cwd,
    env: { ...process.env, TUNEKIT_HOME: options.home ?? options.store, TUNEKIT_TRACKING: '0', CI: '1', NO_COLOR: '1', TUNEKIT_WORKER_LOCK_MS: '8000', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    // Starting tsx and BullMQ takes 5-25 s on a loaded 2-core machine.
    await waitFor(() => /\] worker .* concurrency/.test(out) || gone, 120_000, 'tunekit worker to start');
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${out}`);
  }
  if (gone) throw new Error(`tunekit worker exited at start:\n${out}`);
  return {
    child,
    pid: child.pid!,
    output: () => out,
    taken: () => [...out.matchAll(/\] (\S+): taken/g)].map((match) => match[1]!),
    ran: () => [...out.matchAll(/\] (\S+): done\n/g)].map((match) => match[1]!),
    exited,
  };
}

/** SIGTERM every worker still running and wait for it (SIGKILL after 20 s). */
export async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (worker) => {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
      worker.child.kill('SIGTERM');
      const timer = setTimeout(() => worker.child.kill('SIGKILL'), 20_000);
      await worker.exited;
      clearTimeout(timer);
    }),
  );
}

export function sleepHashPipeline(options: { cells: number; ms: number; extra?: string }): string {
  const cells = Array.from({ length: options.cells }, (_, i) => i + 1).join(', ');
  return `name: fanout
stages:
  gen:
    uses: ./plugins/write.ts
    with: { text: seed }
  work:
    uses: command
    matrix: { i: [${cells}] }
    inputs: { src: gen.out }
    run: [node, sleep-hash.mjs, "\${matrix.i}"]
    outputs: [out]
    with: { ms: ${options.ms} }
  report:
    uses: ./plugins/collect.ts
    inputs: { parts: "work[*].out" }
${options.extra ?? ''}`;
}

/** The sleep-and-hash command stage (also bench/redis-executor.ts's). */
export const SLEEP_HASH = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'redis', 'sleep-hash.mjs');

export type Workspace = ReturnType<typeof fixtureWorkspace>;

/** A fixture workspace with `pipeline.yaml` and sleep-hash.mjs. */
export function redisWorkspace(pipeline: string): Workspace {
  const ws = fixtureWorkspace({ 'pipeline.yaml': pipeline });
  copyFileSync(SLEEP_HASH, join(ws.dir, 'sleep-hash.mjs'));
  return ws;
}

/** Every committed entry verifies (`tunekit cache verify` exit 0) and nothing half-written is in objects/. */
export async function storeIsClean(ws: { dir: string; store: string }): Promise<void> {
  const verify = await tunekit(['cache', 'verify'], { cwd: ws.dir, store: ws.store });
  expect([verify.code, verify.stderr]).toEqual([0, '']);
  for (const prefix of readdirSync(join(ws.store, 'objects'))) {
    for (const key of readdirSync(join(ws.store, 'objects', prefix))) expect(existsSync(join(ws.store, 'objects', prefix, key, 'meta.json'))).toBe(true);
  }
}

export interface RedisSuite {
  /** The file's redis-server (started in beforeAll). */
  readonly redis: RedisServer;
  /** `redis://127.0.0.1:<port>/<db>`: each test uses its own database so workers never take another test's jobs. */
  url(db: number): string;
  /**
   * Start a worker on database `db` for `ws` (its checkout: `cwd`, default the workspace); stopped after the file.
   * `store`: its `--store` (e.g. `s3://…`), with `ws.store` as its TUNEKIT_HOME; default `ws.store` for both.
   */
  worker(ws: { dir: string; store: string }, db: number, options?: { cwd?: string; store?: string; env?: Record<string, string> }): Promise<WorkerProcess>;
  /**
   * `tunekit run pipeline.yaml --json --executor <url(db)>` in `ws` (`ws.store`: its TUNEKIT_HOME; `args`
   * appended, e.g. `--store s3://…`); killed after the file if a failed test left it waiting.
   */
  run(ws: { dir: string; store: string }, db: number, options?: { args?: string[]; env?: Record<string, string>; onSpawn?: (pid: number) => void }): Promise<CliResult>;
  /** `redis-cli` on database `db` of the file's server; its stdout. */
  cli(db: number, ...args: string[]): string;
  /** The job ids waiting in the stage queue of database `db`, one per line ('' when none). */
  waiting(db: number): string;
}

/** One redis-server for the test file (beforeAll) and, in afterAll, every worker and the server stopped. */
export function redisSuite(): RedisSuite {
  let redis: RedisServer | undefined;
  const workers: WorkerProcess[] = [];
  const coordinators = new Set<number>();
  beforeAll(async () => {
    if (!HAS_REDIS) throw new Error('redis-server is not installed (apt-get install redis-server; tools/setup/setup.sh does it)');
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    for (const pid of coordinators) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await stopWorkers(workers);
    await redis?.stop();
  }, 60_000);
  const suite: RedisSuite = {
    get redis() {
      if (!redis) throw new Error('redis-server not started yet');
      return redis;
    },
    url: (db) => `${suite.redis.url}/${db}`,
    async worker(ws, db, options = {}) {
      const started = await startWorker({ cwd: options.cwd ?? ws.dir, store: options.store ?? ws.store, home: ws.store, url: suite.url(db), env: options.env });
      workers.push(started);
      return started;
    },
    run(ws, db, options = {}) {
      let pid = 0;
      const onSpawn = (spawned: number) => {
        pid = spawned;
        coordinators.add(spawned);
        options.onSpawn?.(spawned);
      };
      return tunekit(['run', 'pipeline.yaml', '--json', '--executor', suite.url(db), ...(options.args ?? [])], { cwd: ws.dir, store: ws.store, env: options.env, onSpawn }).finally(() => coordinators.delete(pid));
    },
    cli(db, ...args) {
      const result = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(suite.redis.port), '-n', String(db), ...args], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: exit ${result.status}\n${result.stderr}`);
      return result.stdout;
    },
    waiting(db) {
      return suite.cli(db, 'LRANGE', 'bull:tunekit-stages:wait', '0', '-1').trim();
    },
  };
  return suite;
}
