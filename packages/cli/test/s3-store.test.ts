/**
 * `tunekit` with an S3 store (`--store s3://bucket/prefix`), end to end, against s3rver on loopback
 * (started and stopped here; packages/pipeline/test/s3/s3-server.ts): same keys and digests as the
 * fs store, a second run and another machine's run all cached, cache ls/verify on the bucket, a
 * corrupted object detected and rerun, a killed upload leaving no entry, bad stores exit 2; two
 * machines committing the same key through a proxy that enforces If-None-Match (s3rver does not).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startConditionalProxy } from '../../pipeline/test/s3/conditional-proxy.ts';
import { startS3Server, type S3TestServer } from '../../pipeline/test/s3/s3-server.ts';
import { fixtureWorkspace, lastJson, statuses, tempDir, tunekit, type RunJson } from './helpers.ts';

const PIPELINE = `stages:
  a:
    uses: ./plugins/write.ts
    with: { text: one }
  b:
    uses: ./plugins/upper.ts
    inputs: { src: a.out }
  copy:
    uses: command
    inputs: { src: b.out }
    outputs: [out]
    with: { suffix: "!" }
    run: [node, copy.mjs, x]
`;

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server.stop();
});

function s3(): S3Client {
  return new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
}

async function objectKeys(prefix: string): Promise<string[]> {
  const listed = await s3().send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

/** `tunekit <args>` on the S3 store, with `home` as this machine's local store. */
function onS3(args: string[], cwd: string, home: string, env: Record<string, string> = {}, onSpawn?: (pid: number) => void) {
  return tunekit(args, { cwd, store: home, env: { ...server.env, ...env }, onSpawn });
}

const digests = (run: RunJson) => Object.fromEntries(Object.entries(run.stages).map(([id, stage]) => [id, { key: stage.key, out: stage.outputs.out!.digest }]));

describe('tunekit run --store s3://', () => {
  test('same keys and digests as the fs store; a second run and another machine are all cache hits', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    const url = `s3://${server.bucket}/same`;
    const fs = lastJson(await tunekit(['run', 'pipeline.yaml', '--json'], { cwd: ws.dir, store: ws.store }));
    const first = await onS3(['run', 'pipeline.yaml', '--json', '--store', url], ws.dir, tempDir('tunekit-home-'));
    expect(first.code).toBe(0);
    const s3run = lastJson(first);
    expect(statuses(s3run)).toEqual({ a: 'ran', b: 'ran', copy: 'ran' });
    expect(digests(s3run)).toEqual(digests(fs));
    expect(readFileSync(join(s3run.stages.copy!.outputs.out!.path, 'text.txt'), 'utf8')).toBe('ONE!:x');
    expect(await objectKeys('same/entries/')).toEqual(Object.values(s3run.stages).map((stage) => `same/entries/${stage.key!.slice(0, 2)}/${stage.key}.json`).sort());

    const home = tempDir('tunekit-home-');
    const again = lastJson(await onS3(['run', 'pipeline.yaml', '--json', '--store', url], ws.dir, home));
    expect(statuses(again)).toEqual({ a: 'cached', b: 'cached', copy: 'cached' });
    expect(digests(again)).toEqual(digests(fs));
    expect(again.stages.copy!.outputs.out!.path.startsWith(join(home, 'objects') + '/')).toBe(true);
    expect(readFileSync(join(again.stages.copy!.outputs.out!.path, 'text.txt'), 'utf8')).toBe('ONE!:x');
    // TUNEKIT_STORE selects it as well, and the local copies make this one download nothing
    const third = lastJson(await onS3(['run', 'pipeline.yaml', '--json'], ws.dir, home, { TUNEKIT_STORE: url }));
    expect(statuses(third)).toEqual({ a: 'cached', b: 'cached', copy: 'cached' });

    const status = await onS3(['status', 'pipeline.yaml', '--store', url], ws.dir, tempDir('tunekit-home-'));
    expect(status.stdout).toContain('3 of 3 stages cached');
  }, 300_000);

  test("the pipeline file's store: is used; cache ls and verify work on the bucket; gc says it is not supported", async () => {
    const url = `s3://${server.bucket}/from-file`;
    const ws = fixtureWorkspace({ 'pipeline.yaml': `store: ${url}\n${PIPELINE}` });
    const home = tempDir('tunekit-home-');
    const run = lastJson(await onS3(['run', 'pipeline.yaml', '--json'], ws.dir, home));
    expect(statuses(run)).toEqual({ a: 'ran', b: 'ran', copy: 'ran' });
    const ls = await onS3(['cache', 'ls', '--store', url], ws.dir, home);
    expect(ls.stdout).toContain(`3 entries in ${url}`);
    const verify = await onS3(['cache', 'verify', '--store', url], ws.dir, tempDir('tunekit-home-'));
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('verified 3 entries: 0 corrupt');
    const gc = await onS3(['cache', 'gc', '--store', url], ws.dir, home);
    expect(gc.code).toBe(2);
    expect(gc.stderr).toContain(`cache gc does not support the S3 store ${url}`);
  }, 300_000);

  test('a corrupted object is reported by cache verify, and a run on another machine reruns the stage instead of using it', async () => {
    const url = `s3://${server.bucket}/rot`;
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    const first = lastJson(await onS3(['run', 'pipeline.yaml', '--json', '--store', url], ws.dir, tempDir('tunekit-home-')));
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update('ONE').digest('hex');
    const blob = `rot/blobs/sha256/${sha.slice(0, 2)}/${sha}`;
    expect(await objectKeys(blob)).toEqual([blob]);
    await s3().send(new PutObjectCommand({ Bucket: server.bucket, Key: blob, Body: 'OUCH' }));

    const verify = await onS3(['cache', 'verify', '--store', url], ws.dir, tempDir('tunekit-home-'));
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`corrupt ${first.stages.b!.key} (b): object ${blob} is corrupt: 4 bytes with sha256`);
    expect(verify.stdout).toContain('verified 3 entries: 1 corrupt');

    const home = tempDir('tunekit-home-');
    const rerun = await onS3(['run', 'pipeline.yaml', '--json', '--store', url], ws.dir, home);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain(`warning: b: corrupted cache entry ${first.stages.b!.key!.slice(0, 12)} (output file text.txt: object ${blob} is corrupt`);
    const second = lastJson(rerun);
    expect(statuses(second)).toEqual({ a: 'cached', b: 'ran', copy: 'cached' });
    expect(digests(second)).toEqual(digests(first));
    expect(readFileSync(join(second.stages.b!.outputs.out!.path, 'text.txt'), 'utf8')).toBe('ONE');
    const clean = await onS3(['cache', 'verify', '--store', url], ws.dir, tempDir('tunekit-home-'));
    expect(clean.stdout).toContain('verified 3 entries: 0 corrupt');
  }, 300_000);

  test('a run killed while uploading leaves no entry; the next run commits it', async () => {
    const url = `s3://${server.bucket}/killed`;
    const ws = fixtureWorkspace({
      'big.mjs': `import { writeFileSync } from 'node:fs';\nconst out = process.env.TUNEKIT_OUTPUT_OUT;\nwriteFileSync(out + '/small.txt', 's');\nconst big = Buffer.alloc(48 * 1024 * 1024);\nfor (let i = 0; i < big.length; i += 512) big[i] = i % 253;\nwriteFileSync(out + '/big.bin', big);\n`,
      'pipeline.yaml': 'stages:\n  big:\n    uses: command\n    outputs: [out]\n    run: [node, big.mjs]\n',
    });
    const home = tempDir('tunekit-home-');
    let pid = 0;
    const seen = server.created.length;
    const watcher = setInterval(() => {
      if (pid && server.created.slice(seen).some((created) => created.key.startsWith('killed/blobs/'))) {
        process.kill(pid, 'SIGKILL');
        clearInterval(watcher);
      }
    }, 5);
    const killed = await onS3(['run', 'pipeline.yaml', '--json', '--store', url], ws.dir, home, { TUNEKIT_S3_PART_SIZE: String(5 * 1024 * 1024) }, (spawned) => (pid = spawned)).finally(() => clearInterval(watcher));
    pid = 0;
    expect(killed.signal).toBe('SIGKILL');
    expect(await objectKeys('killed/entries/')).toEqual([]);
    expect(server.created.slice(seen).map((created) => created.key)).not.toContain(expect.stringContaining('killed/entries/'));

    const next = await onS3(['run', 'pipeline.yaml', '--json', '--store', url], ws.dir, home, { TUNEKIT_S3_PART_SIZE: String(5 * 1024 * 1024) });
    expect(next.code).toBe(0);
    const run = lastJson(next);
    expect(statuses(run)).toEqual({ big: 'ran' });
    expect(await objectKeys('killed/entries/')).toEqual([`killed/entries/${run.stages.big!.key!.slice(0, 2)}/${run.stages.big!.key}.json`]);
    const verify = await onS3(['cache', 'verify', '--store', url], ws.dir, tempDir('tunekit-home-'));
    expect(verify.stdout).toContain('verified 1 entries: 0 corrupt');
  }, 300_000);

  test('two machines compute the same key at once: the second manifest PUT gets 412 and that machine adopts the first entry', async () => {
    // s3rver ignores If-None-Match; the proxy (packages/pipeline/test/s3/conditional-proxy.ts) answers 412 as S3 does.
    const proxy = await startConditionalProxy(server);
    try {
      const url = `s3://${server.bucket}/two-machines`;
      const barrier = tempDir('tunekit-barrier-');
      // Each machine's stage waits until both have started (both staged the key while it had no
      // manifest), then writes its own pid: the two outputs differ, so who adopted whom shows.
      const ws = fixtureWorkspace({
        'both.mjs': `import { readdirSync, writeFileSync } from 'node:fs';
const { barrier } = JSON.parse(process.env.TUNEKIT_PARAMS);
writeFileSync(barrier + '/' + process.pid, '');
const until = Date.now() + 120000;
while (readdirSync(barrier).length < 2) {
  if (Date.now() > until) { console.error('the other machine never started the stage'); process.exit(4); }
  await new Promise((done) => setTimeout(done, 50));
}
writeFileSync(process.env.TUNEKIT_OUTPUT_OUT + '/text.txt', 'written by ' + process.pid);
`,
        'pipeline.yaml': `stages:\n  both:\n    uses: command\n    outputs: [out]\n    with: { barrier: ${barrier} }\n    run: [node, both.mjs]\n`,
      });
      const [homeA, homeB] = [tempDir('tunekit-home-'), tempDir('tunekit-home-')];
      const run = (home: string) => tunekit(['run', 'pipeline.yaml', '--json', '--store', url], { cwd: ws.dir, store: home, env: proxy.env });
      const [a, b] = await Promise.all([run(homeA), run(homeB)]);
      expect([a.code, b.code]).toEqual([0, 0]);
      const [runA, runB] = [lastJson(a), lastJson(b)];
      const manifest = `two-machines/entries/${runA.stages.both!.key!.slice(0, 2)}/${runA.stages.both!.key}.json`;
      expect(proxy.conditional).toEqual([manifest, manifest]);
      expect(proxy.refused).toEqual([manifest]);
      // Both machines report the same key and digest: the loser's own (different) output was dropped.
      expect(runB.stages.both!.key).toBe(runA.stages.both!.key);
      expect(runB.stages.both!.outputs.out!.digest).toBe(runA.stages.both!.outputs.out!.digest);
      const textA = readFileSync(join(runA.stages.both!.outputs.out!.path, 'text.txt'), 'utf8');
      expect(readFileSync(join(runB.stages.both!.outputs.out!.path, 'text.txt'), 'utf8')).toBe(textA);
      expect(textA).toMatch(/^written by \d+$/);
      // Lookups on both machines and a third: cached, the same digest; cache verify is clean on each.
      for (const home of [homeA, homeB, tempDir('tunekit-home-')]) {
        const again = lastJson(await tunekit(['run', 'pipeline.yaml', '--json', '--store', url], { cwd: ws.dir, store: home, env: proxy.env }));
        expect(statuses(again)).toEqual({ both: 'cached' });
        expect(again.stages.both!.outputs.out!.digest).toBe(runA.stages.both!.outputs.out!.digest);
        expect(readFileSync(join(again.stages.both!.outputs.out!.path, 'text.txt'), 'utf8')).toBe(textA);
        const verify = await tunekit(['cache', 'verify', '--store', url], { cwd: ws.dir, store: home, env: proxy.env });
        expect(verify.code).toBe(0);
        expect(verify.stdout).toContain('verified 1 entries: 0 corrupt');
      }
      expect(await objectKeys('two-machines/entries/')).toEqual([manifest]);
    } finally {
      await proxy.stop();
    }
  }, 300_000);

  test('a bad store URL, a missing bucket and an unreachable endpoint exit 2 with one clear line, within seconds', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    const home = tempDir('tunekit-home-');
    // The same command up to the store, failing without any network: what the process costs to get there.
    let started = Date.now();
    const bad = await onS3(['run', 'pipeline.yaml', '--store', 's3://Not_A_Bucket/p'], ws.dir, home);
    const withoutNetwork = Date.now() - started;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid S3 store "s3://Not_A_Bucket/p": "Not_A_Bucket" is not a bucket name');
    const missing = await onS3(['cache', 'ls', '--store', 's3://no-such-bucket/p'], ws.dir, home);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`S3 store s3://no-such-bucket/p (endpoint ${server.endpoint}): bucket "no-such-bucket" does not exist`);
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    started = Date.now();
    const unreachable = await onS3(['run', 'pipeline.yaml', '--store', `s3://${server.bucket}/p`], ws.dir, home, { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain(`S3 store s3://${server.bucket}/p (endpoint http://127.0.0.1:${port}): cannot reach the bucket: ECONNREFUSED`);
    expect(unreachable.stderr).not.toContain('    at ');
    // Connection refused: the probe gives up at once (the SDK's retries), not after a timeout.
    expect(Date.now() - started - withoutNetwork).toBeLessThan(5_000);
  }, 300_000);
});
