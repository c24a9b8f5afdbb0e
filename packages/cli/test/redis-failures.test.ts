/**
 * The redis executor when things break: a worker SIGKILLed mid-stage, a worker SIGTERMed twice
 * mid-stage, Redis restarted mid-run, a job vanishing from Redis, the coordinator killed and
 * restarted, two coordinators on one Redis and one store. Real redis-server (loopback, private
 * port, stopped at the end), real workers and coordinators.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, lastJson, readText, tempDir, tunekit, type CliResult } from './helpers.ts';
import { redisSuite, redisWorkspace as workspace, sleepHashPipeline, storeIsClean, waitFor } from './helpers/redis.ts';

const TIMEOUT = 900_000;
const suite = redisSuite();
const worker = suite.worker;

describe('redis executor failures', () => {
  test(
    'a worker SIGKILLed mid-stage: the stage runs again on another worker, the run succeeds, no partial entry',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 2, ms: 6000 }));
      const a = await worker(ws, 4);
      const run = suite.run(ws, 4);
      await waitFor(() => a.taken().some((id) => id.startsWith('work[')), 600_000, 'worker a to take a work stage');
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
    'a worker SIGTERMed twice mid-stage exits 130 and hands the job back; a worker started after runs it; never two at once; no partial entry',
    async () => {
      const pids = join(tempDir('tunekit-pids-'), 'pids.txt');
      const ws = workspace(sleepHashPipeline({ cells: 1, ms: 8000 }).replace('with: { ms: 8000 }', `with: { ms: 8000, pids: ${pids} }`));
      const a = await worker(ws, 9);
      const run = suite.run(ws, 9);
      const stagePids = () => (existsSync(pids) ? readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []);
      await waitFor(() => stagePids().length === 1, 600_000, "worker a's work stage process to start");
      const [first] = stagePids();
      a.child.kill('SIGTERM');
      await waitFor(() => a.output().includes('SIGTERM: draining'), 30_000, 'worker a to start draining');
      a.child.kill('SIGTERM');
      // Exit 130 (stopped), not 0: the drain that the first SIGTERM started also ends, once the job is handed back.
      expect([await a.exited, a.output()]).toEqual([130, expect.stringContaining('work[i=1]: handed back (worker stopping)')]);
      expect(a.ran()).toEqual(['gen']);
      // The stage's process was interrupted with the worker, not left running.
      await waitFor(() => !isAlive(first!), 10_000, `the interrupted stage process ${first} to end`);
      // The job is back in the queue at once (not left active until its lock expires), and nothing
      // of the interrupted stage is in the store: gen's entry only, no temp entry left.
      const queued = suite.waiting(9).split('\n');
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatch(/^stage-[0-9a-f]{64}$/);
      expect(suite.cli(9, 'LLEN', 'bull:tunekit-stages:active').trim()).toBe('0');
      expect(readdirSync(join(ws.store, 'objects')).flatMap((prefix) => readdirSync(join(ws.store, 'objects', prefix)))).toHaveLength(1);
      expect(existsSync(join(ws.store, 'tmp')) ? readdirSync(join(ws.store, 'tmp')) : []).toEqual([]);

      const b = await worker(ws, 9);
      const result = lastJson(await run);
      expect(result.status).toBe('succeeded');
      expect(result.stages['work[i=1]']!.status).toBe('ran');
      expect(b.ran()).toEqual(['work[i=1]', 'report']);
      // b's stage process is a second one, started after a's had ended.
      expect(stagePids()).toHaveLength(2);
      expect(stagePids()[1]).not.toBe(first);
      const log = readText(join(ws.store, 'logs', result.runId, 'work[i=1].log'));
      expect(log).toMatch(new RegExp(`running on worker \\S+:${b.pid}`));
      await storeIsClean(ws);
    },
    TIMEOUT,
  );

  test(
    'a job deleted from Redis (FLUSHDB) while the coordinator waits is enqueued again and the run succeeds',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 1, ms: 100 }));
      // No worker yet: the first job (gen) waits in the queue until it is deleted.
      const run = suite.run(ws, 10);
      const waiting = () => suite.waiting(10);
      await waitFor(() => waiting() !== '', 600_000, 'the coordinator to enqueue gen');
      const job = waiting();
      suite.cli(10, 'FLUSHDB');
      // The coordinator sees it gone and adds it again, under the same id.
      await waitFor(() => waiting() === job, 30_000, 'gen to be enqueued again');
      const a = await worker(ws, 10);
      const result = lastJson(await run);
      expect(result.status).toBe('succeeded');
      expect(a.ran().sort()).toEqual(['gen', 'report', 'work[i=1]']);
      const log = readText(join(ws.store, 'logs', result.runId, 'gen.log'));
      expect(log.match(/the job is gone from Redis \(restarted without persistence\?\); enqueuing it again/g)).toHaveLength(1);
      await storeIsClean(ws);
    },
    TIMEOUT,
  );

  test(
    'a job that vanishes a fourth time fails its stage (at most 3 enqueues again), naming Redis',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 1, ms: 100 }));
      const run = suite.run(ws, 11);
      const waiting = () => suite.waiting(11);
      for (let vanished = 1; vanished <= 4; vanished++) {
        await waitFor(() => waiting() !== '', vanished === 1 ? 600_000 : 30_000, `gen enqueued (${vanished})`);
        suite.cli(11, 'FLUSHDB');
      }
      const result = await run;
      const json = lastJson(result);
      expect(result.code).toBe(1);
      expect(json.stages.gen!.status).toBe('failed');
      expect(json.stages.gen!.error).toBe(`the job vanished from Redis at ${suite.url(11)} 3 times (Redis restarted without persistence?)`);
      expect(json.stages['work[i=1]']!.status).toBe('skipped');
      expect(waiting()).toBe('');
      const log = readText(join(ws.store, 'logs', json.runId, 'gen.log'));
      expect(log.match(/enqueuing it again/g)).toHaveLength(3);
    },
    TIMEOUT,
  );

  test(
    'Redis restarted mid-run: the coordinator and the workers reconnect and the run finishes',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 2, ms: 4000 }));
      const a = await worker(ws, 5);
      const run = suite.run(ws, 5, { env: { TUNEKIT_REDIS_TIMEOUT_S: '120' } });
      await waitFor(() => a.taken().some((id) => id.startsWith('work[')), 600_000, 'a work stage to start');
      await suite.redis.restart(2000);
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
      const run = suite.run(ws, 6, { env: { TUNEKIT_REDIS_TIMEOUT_S: '10' } });
      await waitFor(() => a.taken().length > 0, 600_000, 'a stage to start');
      await suite.redis.stop();
      const stopped = Date.now();
      const result: CliResult = await run;
      const json = lastJson(result);
      expect(result.code).toBe(1);
      const failed = Object.values(json.stages).find((stage) => stage.status === 'failed')!;
      expect(failed.error).toMatch(new RegExp(`^lost Redis at ${suite.url(6)} for \\d+ s \\(.*\\); a worker may still finish the stage: rerun the same command to pick it up$`));
      expect((Date.now() - stopped) / 1000).toBeLessThan(120);
      await suite.redis.restart(0);
    },
    TIMEOUT,
  );

  test(
    'the coordinator killed and restarted with the same command: finished stages come from the cache, nothing runs twice',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 3, ms: 3000 }));
      const [a, b] = [await worker(ws, 7), await worker(ws, 7)];
      let pid = 0;
      const first = suite.run(ws, 7, { onSpawn: (p) => (pid = p) });
      await waitFor(() => [...a.taken(), ...b.taken()].filter((id) => id.startsWith('work[')).length >= 2, 600_000, 'two work stages to start');
      process.kill(pid, 'SIGKILL');
      await first;
      const second = lastJson(await suite.run(ws, 7));
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
        suite.run(ws, 8),
        suite.run(ws, 8),
      ]);
      expect([lastJson(one).status, lastJson(two).status]).toEqual(['succeeded', 'succeeded']);
      for (const id of Object.keys(lastJson(one).stages)) expect(lastJson(one).stages[id]!.outputs.out!.digest).toBe(lastJson(two).stages[id]!.outputs.out!.digest);
      expect([...a.ran(), ...b.ran()].sort()).toEqual(Object.keys(lastJson(one).stages).sort());
      await storeIsClean(ws);
    },
    TIMEOUT,
  );
});
