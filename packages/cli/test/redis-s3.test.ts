/**
 * The redis executor with an S3 store, end to end: a real redis-server (helpers/redis.ts) and
 * s3rver (packages/pipeline/test/s3/s3-server.ts) on loopback, real `tunekit worker` and
 * `tunekit run` processes. Every machine — the coordinator and each worker — has its own checkout
 * and its own local store (TUNEKIT_HOME), as on machines sharing no file system; all of them use
 * `--store s3://<bucket>/<prefix>`. Each test uses its own Redis database and bucket prefix.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3Server, type S3TestServer } from '../../pipeline/test/s3/s3-server.ts';
import { lastJson, statuses, tempDir, tunekit, type CliResult, type RunJson } from './helpers.ts';
import { redisSuite, redisWorkspace as machine, sleepHashPipeline, stopWorkers, type Workspace } from './helpers/redis.ts';

// Generous: on the 2-core machine shared with a training run a worker takes 5-40 s to start.
const TIMEOUT = 900_000;
const suite = redisSuite();
let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server();
}, 30_000);
afterAll(async () => {
  await s3?.stop();
});

const keysAndDigests = (run: RunJson) => Object.fromEntries(Object.entries(run.stages).map(([id, stage]) => [id, { key: stage.key, out: stage.outputs.out?.digest }]));
/** A file of an entry's output in one machine's local store. */
const localCopy = (home: string, key: string, file: string) => join(home, 'objects', key.slice(0, 2), key, 'outputs', 'out', file);
/** The run's JSON, or a failure showing what the coordinator printed. */
function succeeded(result: CliResult): RunJson {
  if (result.code !== 0) throw new Error(`tunekit run exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  return lastJson(result);
}

describe('redis executor with an S3 store', () => {
  test(
    'two workers and the coordinator on their own local stores share a bucket: fan-out across both, digests equal a local run, outputs cross machines through the bucket, a second run is all cached',
    async () => {
      const pipeline = sleepHashPipeline({ cells: 4, ms: 1000 });
      const store = `s3://${s3.bucket}/fanout`;
      const [coordinator, machineA, machineB] = [machine(pipeline), machine(pipeline), machine(pipeline)];
      const a = await suite.worker(machineA, 1, { store, env: s3.env });
      const b = await suite.worker(machineB, 1, { store, env: s3.env });
      expect(a.output()).toContain(`store ${machineA.store}`);
      const remote = succeeded(await suite.run(coordinator, 1, { args: ['--store', store], env: s3.env }));
      const ids = ['gen', 'work[i=1]', 'work[i=2]', 'work[i=3]', 'work[i=4]', 'report'];
      expect(statuses(remote)).toEqual(Object.fromEntries(ids.map((id) => [id, 'ran'])));

      // (a) both workers ran stages, every stage ran exactly once, with a local fs-store run's keys and digests
      expect(a.taken().length).toBeGreaterThan(0);
      expect(b.taken().length).toBeGreaterThan(0);
      expect([...a.ran(), ...b.ran()].sort()).toEqual([...ids].sort());
      const local = machine(pipeline);
      const reference = succeeded(await tunekit(['run', 'pipeline.yaml', '--json'], { cwd: local.dir, store: local.store }));
      expect(keysAndDigests(remote)).toEqual(keysAndDigests(reference));
      // the coordinator's outputs are its own local copies (downloaded from the bucket), with the local run's content
      const report = remote.stages.report!.outputs.out!.path;
      expect(report.startsWith(join(coordinator.store, 'objects') + '/')).toBe(true);
      expect(readFileSync(join(report, 'items.json'), 'utf8')).toBe(readFileSync(join(reference.stages.report!.outputs.out!.path, 'items.json'), 'utf8'));

      // (b) wherever a stage consumed an output the other worker produced, the consumer's local store holds
      // a copy of the producer's entry (downloaded from the bucket: it never ran that stage) with the same file
      const ranOn = new Map<string, Workspace>([...a.ran().map((id) => [id, machineA] as const), ...b.ran().map((id) => [id, machineB] as const)]);
      const edges = [...ids.filter((id) => id.startsWith('work')).map((id) => ['gen', id]), ...ids.filter((id) => id.startsWith('work')).map((id) => [id, 'report'])];
      const crossed = edges.filter(([producer, consumer]) => ranOn.get(producer!) !== ranOn.get(consumer!));
      // both workers ran something, so some edge crosses machines (gen → work, or work → report)
      expect(crossed.length).toBeGreaterThan(0);
      for (const [producer, consumer] of crossed) {
        const key = remote.stages[producer!]!.key!;
        const [from, to] = [ranOn.get(producer!)!, ranOn.get(consumer!)!];
        expect([producer, existsSync(join(from.store, 'logs', remote.runId, `${producer}.log`)), existsSync(join(to.store, 'logs', remote.runId, `${producer}.log`))]).toEqual([producer, true, false]);
        expect(readFileSync(localCopy(to.store, key, 'text.txt'), 'utf8')).toBe(readFileSync(localCopy(from.store, key, 'text.txt'), 'utf8'));
      }
      // A stage's output is in its worker's own log and, relayed through Redis, once in the coordinator's
      const runner = ranOn.get('work[i=3]')!;
      expect(readFileSync(join(runner.store, 'logs', remote.runId, 'work[i=3].log'), 'utf8')).toContain('sleep-hash 3: sleeping 1000 ms');
      const log = readFileSync(join(coordinator.store, 'logs', remote.runId, 'work[i=3].log'), 'utf8');
      expect(log).toMatch(new RegExp(`^running on worker \\S+:${runner === machineA ? a.pid : b.pid}$`, 'm'));
      expect(log.split('\n').filter((line) => line === 'sleep-hash 3: sleeping 1000 ms')).toHaveLength(1);

      // (c) a second run on a fourth machine (an empty local store) is all cached from the bucket and enqueues nothing
      const taken = [a.taken().length, b.taken().length];
      const fourth = { dir: coordinator.dir, store: tempDir('tunekit-home-') };
      const again = succeeded(await suite.run(fourth, 1, { args: ['--store', store], env: s3.env }));
      expect(statuses(again)).toEqual(Object.fromEntries(ids.map((id) => [id, 'cached'])));
      expect(keysAndDigests(again)).toEqual(keysAndDigests(reference));
      expect(again.stages.report!.outputs.out!.path.startsWith(join(fourth.store, 'objects') + '/')).toBe(true);
      expect([a.taken().length, b.taken().length]).toEqual(taken);
      expect([suite.cli(1, 'LLEN', 'bull:tunekit-stages:wait').trim(), suite.cli(1, 'ZCARD', 'bull:tunekit-stages:completed').trim()]).toEqual(['0', '6']);
      const verify = await tunekit(['cache', 'verify', '--store', store], { cwd: coordinator.dir, store: tempDir('tunekit-home-'), env: s3.env });
      expect(verify.code).toBe(0);
      expect(verify.stdout).toContain('verified 6 entries: 0 corrupt');
    },
    TIMEOUT,
  );

  test(
    "worker A runs a stage on worker B's output (downloaded, checked); a corrupt object in the bucket makes a fresh worker refuse the job",
    async () => {
      const store = `s3://${s3.bucket}/handoff`;
      const pipeline = sleepHashPipeline({ cells: 1, ms: 100 });
      const [coordinator, machineA, machineB, machineC] = [machine(pipeline), machine(pipeline), machine(pipeline), machine(pipeline)];
      const run = (ws: Workspace, ...args: string[]) => suite.run(ws, 2, { args: ['--store', store, ...args], env: s3.env });

      // Only B is up: it runs gen.
      const b = await suite.worker(machineB, 2, { store, env: s3.env });
      const first = succeeded(await run(coordinator, '--only', 'gen'));
      expect(statuses(first)).toEqual({ gen: 'ran' });
      expect(b.ran()).toEqual(['gen']);
      await stopWorkers([b]);

      // Only A is up: it runs work and report, downloading gen's output from the bucket.
      const a = await suite.worker(machineA, 2, { store, env: s3.env });
      const second = succeeded(await run(coordinator));
      expect(statuses(second)).toEqual({ gen: 'cached', 'work[i=1]': 'ran', report: 'ran' });
      expect(a.ran()).toEqual(['work[i=1]', 'report']);
      const gen = second.stages.gen!.key!;
      expect(readFileSync(localCopy(machineA.store, gen, 'text.txt'), 'utf8')).toBe('seed');
      expect(readFileSync(localCopy(machineB.store, gen, 'text.txt'), 'utf8')).toBe('seed');
      const hash = createHash('sha256').update('seed' + '1').digest('hex');
      expect(readFileSync(localCopy(machineA.store, second.stages['work[i=1]']!.key!, 'text.txt'), 'utf8')).toBe(hash);
      await stopWorkers([a]);

      // gen's blob rots in the bucket. The coordinator still has its verified local copy (gen cached,
      // nothing downloaded); a worker without one downloads it, finds the sha256 wrong, installs nothing
      // and refuses the job. The stage changed (ms: 200) so that it is not a cache hit.
      const blob = `handoff/blobs/sha256/${createHash('sha256').update('seed').digest('hex').slice(0, 2)}/${createHash('sha256').update('seed').digest('hex')}`;
      const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: blob, Body: 'rot!' }));
      client.destroy();
      coordinator.write('pipeline.yaml', sleepHashPipeline({ cells: 1, ms: 200 }));
      const c = await suite.worker(machineC, 2, { store, env: s3.env });
      const third = await run(coordinator);
      expect(third.code).toBe(1);
      const refused = lastJson(third);
      expect(statuses(refused)).toEqual({ gen: 'cached', 'work[i=1]': 'failed', report: 'skipped' });
      expect(refused.stages['work[i=1]']!.error).toMatch(new RegExp(`^job failed on the queue: input src: ${machineC.store}/objects/${gen.slice(0, 2)}/${gen}/outputs/out does not exist in this worker's store`));
      expect(c.output()).toContain('work[i=1]: refused');
      expect(existsSync(join(machineC.store, 'objects', gen.slice(0, 2), gen))).toBe(false);
      const verify = await tunekit(['cache', 'verify', '--store', store], { cwd: coordinator.dir, store: tempDir('tunekit-home-'), env: s3.env });
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain(`corrupt ${gen} (gen): object ${blob} is corrupt`);
    },
    TIMEOUT,
  );
});
