/**
 * The redis executor when things break: a worker SIGKILLed mid-stage, Redis restarted mid-run,
 * the coordinator killed and restarted, two coordinators on one Redis and one store. Real
 * redis-server (loopback, private port, stopped at the end), real workers and coordinators.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWorkspace, lastJson, tunekit, type CliResult } from './helpers.ts';
import { HAS_REDIS, SLEEP_HASH, sleepHashPipeline, startRedis, startWorker, stopWorkers, type RedisServer, type WorkerProcess } from './redis-helpers.ts';

const TIMEOUT = 900_000;
let redis: RedisServer;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  if (!HAS_REDIS) throw new Error('redis-server is not installed (apt-get install redis-server; tools/setup/setup.sh does it)');
  redis = await startRedis();
}, 30_000);

afterAll(async () => {
  await stopWorkers(workers);
  await redis?.stop();
}, 60_000);

function workspace(pipeline: string) {
  const ws = fixtureWorkspace({ 'pipeline.yaml': pipeline });
  copyFileSync(SLEEP_HASH, join(ws.dir, 'sleep-hash.mjs'));
  return ws;
}

async function worker(ws: { dir: string; store: string }, db: number) {
  const started = await startWorker({ cwd: ws.dir, store: ws.store, url: `${redis.url}/${db}` });
  workers.push(started);
  return started;
}

async function waitUntil(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Every committed entry verifies (`tunekit cache verify` exit 0) and nothing half-written is in objects/. */
async function storeIsClean(ws: { dir: string; store: string }): Promise<void> {
  const verify = await tunekit(['cache', 'verify'], { cwd: ws.dir, store: ws.store });
  expect([verify.code, verify.stderr]).toEqual([0, '']);
  for (const prefix of readdirSync(join(ws.store, 'objects'))) {
    for (const key of readdirSync(join(ws.store, 'objects', prefix))) expect(existsSync(join(ws.store, 'objects', prefix, key, 'meta.json'))).toBe(true);
  }
}

describe('redis executor failures', () => {
  test(
    'a worker SIGKILLed mid-stage: the stage runs again on another worker, the run succeeds, no partial entry',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 2, ms: 6000 }));
      const a = await worker(ws, 4);
      const run = tunekit(['run', 'pipeline.yaml', '--json', '--executor', `${redis.url}/4`], { cwd: ws.dir, store: ws.store });
      await waitUntil(() => a.taken().some((id) => id.startsWith('work[')), 600_000, 'worker a to take a work stage');
      const victim = a.taken().find((id) => id.startsWith('work['))!;
      await new Promise((done) => setTimeout(done, 1000)); // the stage is running
      a.child.kill('SIGKILL');
      const b = await worker(ws, 4);
      const result = lastJson(await run);
      expect(result.status).toBe('succeeded');
      expect(b.taken()).toContain(victim);
      expect(b.output()).toContain(`${victim}: taken`);
      await storeIsClean(ws);
    },
    TIMEOUT,
  );

  test(
    'Redis restarted mid-run: the coordinator and the workers reconnect and the run finishes',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 2, ms: 4000 }));
      const a = await worker(ws, 5);
      const run = tunekit(['run', 'pipeline.yaml', '--json', '--executor', `${redis.url}/5`], { cwd: ws.dir, store: ws.store, env: { TUNEKIT_REDIS_TIMEOUT_S: '120' } });
      await waitUntil(() => a.taken().some((id) => id.startsWith('work[')), 600_000, 'a work stage to start');
      await redis.restart(2000);
      const result = lastJson(await run);
      expect(result.status).toBe('succeeded');
      await storeIsClean(ws);
    },
    TIMEOUT,
  );

  test(
    'Redis gone for good: the coordinator fails the waiting stage with the URL within the bound, never hangs',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 1, ms: 4000 }));
      const a = await worker(ws, 6);
      const run = tunekit(['run', 'pipeline.yaml', '--json', '--executor', `${redis.url}/6`], { cwd: ws.dir, store: ws.store, env: { TUNEKIT_REDIS_TIMEOUT_S: '10' } });
      await waitUntil(() => a.taken().length > 0, 600_000, 'a stage to start');
      await redis.stop();
      const stopped = Date.now();
      const result: CliResult = await run;
      const json = lastJson(result);
      expect(result.code).toBe(1);
      const failed = Object.values(json.stages).find((stage) => stage.status === 'failed')!;
      expect(failed.error).toMatch(new RegExp(`^lost Redis at ${redis.url}/6 for \\d+ s \\(.*\\); a worker may still finish the stage: rerun the same command to pick it up$`));
      expect((Date.now() - stopped) / 1000).toBeLessThan(120);
      await redis.restart(0);
    },
    TIMEOUT,
  );

  test(
    'the coordinator killed and restarted with the same command: finished stages come from the cache, nothing runs twice',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 3, ms: 3000 }));
      const [a, b] = [await worker(ws, 7), await worker(ws, 7)];
      let pid = 0;
      const first = tunekit(['run', 'pipeline.yaml', '--json', '--executor', `${redis.url}/7`], { cwd: ws.dir, store: ws.store, onSpawn: (p) => (pid = p) });
      await waitUntil(() => [...a.taken(), ...b.taken()].filter((id) => id.startsWith('work[')).length >= 2, 600_000, 'two work stages to start');
      process.kill(pid, 'SIGKILL');
      await first;
      const second = lastJson(await tunekit(['run', 'pipeline.yaml', '--json', '--executor', `${redis.url}/7`], { cwd: ws.dir, store: ws.store }));
      expect(second.status).toBe('succeeded');
      expect(second.stages.gen!.status).toBe('cached');
      // every stage ran on a worker exactly once, across both coordinators (a job taken again
      // finds the entry in the store and runs nothing)
      expect([...a.ran(), ...b.ran()].sort()).toEqual(Object.keys(second.stages).sort());
      await storeIsClean(ws);
    },
    TIMEOUT,
  );

  test(
    'two coordinators on one Redis and one store at once: both finish, each stage ran once, cache verify is clean',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 3, ms: 2000 }));
      const [a, b] = [await worker(ws, 8), await worker(ws, 8)];
      const [one, two] = await Promise.all([
        tunekit(['run', 'pipeline.yaml', '--json', '--executor', `${redis.url}/8`], { cwd: ws.dir, store: ws.store }),
        tunekit(['run', 'pipeline.yaml', '--json', '--executor', `${redis.url}/8`], { cwd: ws.dir, store: ws.store }),
      ]);
      expect([lastJson(one).status, lastJson(two).status]).toEqual(['succeeded', 'succeeded']);
      for (const id of Object.keys(lastJson(one).stages)) expect(lastJson(one).stages[id]!.outputs.out!.digest).toBe(lastJson(two).stages[id]!.outputs.out!.digest);
      expect([...a.ran(), ...b.ran()].sort()).toEqual(Object.keys(lastJson(one).stages).sort());
      await storeIsClean(ws);
    },
    TIMEOUT,
  );
});
