/**
 * A real redis-server for the redis executor tests: started on 127.0.0.1 at a free private port
 * (never another address), in its own temp directory, stopped by `stop()`; and `tunekit worker`
 * processes against it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, tempDir } from './helpers.ts';

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

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
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

/** Start `tunekit worker` and wait until it listens. */
export async function startWorker(options: { cwd: string; store: string; url: string; concurrency?: number; env?: Record<string, string> }): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', options.url, '--store', options.store, '--concurrency', String(options.concurrency ?? 1)], {
    cwd: options.cwd,
    env: { ...process.env, TUNEKIT_HOME: options.store, TUNEKIT_TRACKING: '0', CI: '1', NO_COLOR: '1', TUNEKIT_WORKER_LOCK_MS: '8000', ...options.env },
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

export const SLEEP_HASH = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'redis', 'sleep-hash.mjs');
