/**
 * Redis executor scaling: N command stages of ~`ms` each (packages/cli/test/fixtures/redis/sleep-hash.mjs,
 * the redis executor tests' stage:
 * sleep, then sha256 of a string) fanned out from one root, run through
 * `tunekit run --executor redis://…` on 1, 2 and 4 `tunekit worker` processes (concurrency 1),
 * each configuration in a fresh store, then locally (`--jobs` = the largest worker count) as the
 * reference. Starts its own redis-server on 127.0.0.1 at a free port and stops it at the end.
 * Usage: node --import tsx bench/redis-executor.ts [--stages 64] [--ms 2000] [--workers 1,2,4]
 * Prints one line per measurement and a JSON summary last. Overhead per stage = (wall − N·ms/W)·W/N.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { stages: { type: 'string', default: '64' }, ms: { type: 'string', default: '2000' }, workers: { type: 'string', default: '1,2,4' } } });
const n = Number(values.stages);
const ms = Number(values.ms);
const counts = values.workers!.split(',').map(Number);
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = join(here, '..', 'packages', 'cli', 'bin', 'tunekit.js');

const dir = mkdtempSync(join(tmpdir(), 'tunekit-bench-redis-'));
cpSync(join(here, '..', 'packages', 'cli', 'test', 'fixtures', 'redis', 'sleep-hash.mjs'), join(dir, 'sleep-hash.mjs'));
writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
const cells = Array.from({ length: n }, (_, i) => i).join(', ');
writeFileSync(
  join(dir, 'pipeline.yaml'),
  `name: redis-bench\nstages:\n  root:\n    uses: command\n    run: [node, sleep-hash.mjs, root]\n    outputs: [out]\n    with: { ms: 0 }\n  work:\n    uses: command\n    matrix: { i: [${cells}] }\n    inputs: { src: root.out }\n    run: [node, sleep-hash.mjs, "\${matrix.i}"]\n    outputs: [out]\n    with: { ms: ${ms} }\n`,
);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function until(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (pattern.test(out)) resolve();
    });
    child.once('exit', () => reject(new Error(`exited before ${pattern}: ${out}`)));
  });
}

function run(store: string, extra: string[]): number {
  const start = performance.now();
  const out = execFileSync(process.execPath, [bin, 'run', 'pipeline.yaml', '--json', '--no-tracking', ...extra], {
    cwd: dir,
    env: { ...process.env, TUNEKIT_HOME: store, CI: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { status: string };
  if (result.status !== 'succeeded') throw new Error(`run ${result.status}`);
  return (performance.now() - start) / 1000;
}

const port = await freePort();
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
await until(redis, /Ready to accept connections/);
const url = `redis://127.0.0.1:${port}`;
const summary: Record<string, unknown> = { stages: n, ms, date: new Date().toISOString() };
const overhead = (wall: number, workers: number) => Math.round(((wall - (n * ms) / 1000 / workers) * workers * 1000) / n) / 1000;
try {
  for (const [index, count] of counts.entries()) {
    const store = join(dir, `store-${count}`);
    const db = index + 1;
    const workers = Array.from({ length: count }, () =>
      spawn(process.execPath, [bin, 'worker', '--redis', `${url}/${db}`, '--store', store], { cwd: dir, env: { ...process.env, TUNEKIT_HOME: store, CI: '1' }, stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    await Promise.all(workers.map((worker) => until(worker, /concurrency/)));
    const wall = run(store, ['--executor', `${url}/${db}`, '--jobs', String(count)]);
    summary[`redis_${count}`] = { wall, overheadPerStage: overhead(wall, count) };
    console.log(`redis executor, ${count} worker(s): ${wall.toFixed(1)} s wall, overhead ${overhead(wall, count)} s per stage`);
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => new Promise((done) => (worker.exitCode !== null ? done(null) : worker.once('exit', done)))));
  }
  const jobs = Math.max(...counts);
  const wall = run(join(dir, 'store-local'), ['--jobs', String(jobs)]);
  summary[`local_jobs_${jobs}`] = { wall, overheadPerStage: overhead(wall, jobs) };
  console.log(`local runner, --jobs ${jobs}: ${wall.toFixed(1)} s wall, overhead ${overhead(wall, jobs)} s per stage`);
} finally {
  redis.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(summary));
