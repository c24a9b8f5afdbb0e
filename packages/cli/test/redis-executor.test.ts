/**
 * The redis executor end to end: a real redis-server on loopback (a private port, started and
 * stopped here), real `tunekit worker` processes, real `tunekit run --executor redis://…`.
 * Each test uses its own Redis database so workers never take another test's jobs.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { lastJson, readText, tunekit } from './helpers.ts';
import { redisSuite, redisWorkspace as workspace, sleepHashPipeline } from './helpers/redis.ts';

// Generous: on the 2-core machine shared with a training run a worker takes 5-40 s to start.
const TIMEOUT = 900_000;
const suite = redisSuite();
const worker = suite.worker;

describe('redis executor', () => {
  test(
    'two workers share a fan-out pipeline; outputs and digests equal a local run',
    async () => {
      const pipeline = sleepHashPipeline({ cells: 4, ms: 1500 });
      const ws = workspace(pipeline);
      const [a, b] = [await worker(ws, 1), await worker(ws, 1)];
      const result = await suite.run(ws, 1);
      const remote = lastJson(result);
      expect(result.code).toBe(0);
      expect(Object.values(remote.stages).map((stage) => stage.status)).toEqual(Array(6).fill('ran'));
      // each worker ran some stages, and together every stage exactly once
      expect(a!.taken().length).toBeGreaterThan(0);
      expect(b!.taken().length).toBeGreaterThan(0);
      expect([...a!.ran(), ...b!.ran()].sort()).toEqual(Object.keys(remote.stages).sort());
      // the console and the stage log name the worker
      const log = readText(join(ws.store, 'logs', remote.runId, 'work[i=3].log'));
      expect(log).toMatch(/running on worker \S+:\d+/);
      expect(log).toContain('sleep-hash 3: sleeping 1500 ms');
      // off a terminal (the test's pipe) the console names each stage's worker, one of the two
      const named = [...result.stderr.matchAll(/^\[(work\[i=\d\])\] running on worker (\S+):(\d+)$/gm)];
      expect(named.map((m) => m[1]).sort()).toEqual(['work[i=1]', 'work[i=2]', 'work[i=3]', 'work[i=4]']);
      expect(named.every((m) => [a!.pid, b!.pid].includes(Number(m[3])))).toBe(true);

      const local = workspace(pipeline);
      const reference = lastJson(await tunekit(['run', 'pipeline.yaml', '--json'], { cwd: local.dir, store: local.store }));
      for (const [id, stage] of Object.entries(reference.stages)) {
        expect([id, remote.stages[id]!.key, remote.stages[id]!.outputs.out!.digest]).toEqual([id, stage.key, stage.outputs.out!.digest]);
      }
      // a second run finds everything in the store and enqueues nothing
      const again = lastJson(await suite.run(ws, 1));
      expect(Object.values(again.stages).map((stage) => stage.status)).toEqual(Array(6).fill('cached'));
      expect(a!.ran().length + b!.ran().length).toBe(6);

      const listed = await tunekit(['workers', '--redis', suite.url(1), '--json'], { cwd: ws.dir, store: ws.store });
      const live = JSON.parse(listed.stdout) as { pid: number; concurrency: number; running: string[] }[];
      expect(live.map((w) => w.pid).sort()).toEqual([a!.pid, b!.pid].sort());
      expect(live.every((w) => w.concurrency === 1 && w.running.length === 0)).toBe(true);
    },
    TIMEOUT,
  );

  test(
    'a stage failing on a worker fails the run with its log; dependents are skipped',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 2, ms: 100 }).replace('with: { ms: 100 }', 'with: { ms: 100, fail: true }'));
      await worker(ws, 2);
      const result = await suite.run(ws, 2);
      const run = lastJson(result);
      expect(result.code).toBe(1);
      expect(run.stages['work[i=1]']!.status).toBe('failed');
      expect(run.stages['work[i=1]']!.error).toBe('command "node" exited with code 3');
      expect(run.stages.report!.status).toBe('skipped');
      const log = readText(join(ws.store, 'logs', run.runId, 'work[i=1].log'));
      expect(log).toContain('sleep-hash: failing on purpose (params.fail)');
      expect(log).toContain('stage failed: command "node" exited with code 3');
      // nothing of the failed stages reached the store
      const entries = readdirSync(join(ws.store, 'objects')).flatMap((prefix) => readdirSync(join(ws.store, 'objects', prefix)));
      expect(entries).toHaveLength(1); // gen only
    },
    TIMEOUT,
  );

  test(
    'a worker whose checkout computes another cache key refuses the job with the differences',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 1, ms: 100 }));
      // The worker's own checkout: the same files, but the plugin `gen` uses was edited.
      const other = workspace(sleepHashPipeline({ cells: 1, ms: 100 }));
      other.write('plugins/write.ts', readText(join(other.dir, 'plugins', 'write.ts')).replace("ctx.params.text.repeat(ctx.params.repeat)", "ctx.params.text.repeat(ctx.params.repeat) + '!'"));
      const refusing = await worker(ws, 3, { cwd: other.dir });
      const result = await suite.run(ws, 3);
      const run = lastJson(result);
      expect(result.code).toBe(1);
      expect(run.stages.gen!.status).toBe('failed');
      expect(run.stages.gen!.error).toMatch(new RegExp(`^job failed on the queue: worker \\S+:${refusing.pid} refuses gen: its cache key differs from the coordinator's \\(.*plugin.*changed.*\\); run the same checkout`));
      expect(refusing.output()).toContain('gen: refused');
    },
    TIMEOUT,
  );

  test(
    'an unreachable Redis is exit 2 with the URL and the error within 10 s',
    async () => {
      const ws = workspace(sleepHashPipeline({ cells: 1, ms: 100 }));
      // A port that was free a moment ago: nothing listens there.
      const port = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const free = (server.address() as { port: number }).port;
          server.close(() => resolve(free));
        });
      });
      const started = Date.now();
      const result = await tunekit(['run', 'pipeline.yaml', '--executor', `redis://127.0.0.1:${port}`], { cwd: ws.dir, store: ws.store });
      const seconds = (Date.now() - started) / 1000;
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
      // The check itself answers within 5 s (test/redis-reachability.test.ts in @tunekit/pipeline, in process);
      // here the bound also covers starting the CLI, 20-30 s at load average 25 on 2 cores.
      expect(seconds).toBeLessThan(60);
      const worker = await tunekit(['worker', '--redis', `redis://127.0.0.1:${port}`], { cwd: ws.dir, store: ws.store });
      expect(worker.code).toBe(2);
      expect(worker.stderr).toContain(`cannot reach Redis at redis://127.0.0.1:${port}`);
      const bad = await tunekit(['run', 'pipeline.yaml', '--executor', 'redis://127.0.0.1:6379/99'], { cwd: ws.dir, store: ws.store });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--executor: "redis://127.0.0.1:6379/99": database "99" must be an integer 0-15');
    },
    TIMEOUT,
  );
});
