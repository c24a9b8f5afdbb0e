/** tunekit cache ls|verify|gc, the selection flags and `cache: false`, end to end. */
import { describe, expect, test } from '@jest/globals';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWorkspace, runJson, statuses, tunekit } from './helpers.ts';

const PIPELINE = `stages:\n  a:\n    uses: ./plugins/write.ts\n    with: { text: one }\n  b:\n    uses: ./plugins/upper.ts\n    inputs: { src: a.out }\n  c:\n    uses: ./plugins/write.ts\n    with: { text: other }\n`;

describe('tunekit cache', () => {
  test('ls lists entries with their producing stage and run; verify reports and removes a corrupt one', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    const run = await runJson('pipeline.yaml', ws);
    const ls = await tunekit(['cache', 'ls', '--json'], { cwd: ws.dir, store: ws.store });
    const entries = JSON.parse(ls.stdout) as { key: string; stageId: string; runId: string }[];
    expect(entries.map((e) => e.stageId).sort()).toEqual(['a', 'b', 'c']);
    expect(new Set(entries.map((e) => e.runId))).toEqual(new Set([run.runId]));
    const file = join(run.stages.c!.outputs.out!.path, 'text.txt');
    chmodSync(file, 0o644);
    writeFileSync(file, 'bit rot');
    const verify = await tunekit(['cache', 'verify', '--remove'], { cwd: ws.dir, store: ws.store });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`corrupt ${run.stages.c!.key} (c): output "out" digest`);
    expect(verify.stdout).toContain('verified 3 entries: 1 corrupt');
    const again = await tunekit(['cache', 'verify'], { cwd: ws.dir, store: ws.store });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('verified 2 entries: 0 corrupt');
  });

  test('gc removes entries the latest run no longer uses', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    const old = await runJson('pipeline.yaml', ws);
    ws.write('pipeline.yaml', PIPELINE.replace('text: one', 'text: two'));
    const latest = await runJson('pipeline.yaml', ws);
    const dry = await tunekit(['cache', 'gc', '--dry-run'], { cwd: ws.dir, store: ws.store });
    expect(dry.stdout).toContain('would remove 2 entries; kept 3 referenced by the latest 1 run(s) of 1 pipeline(s)');
    const gc = await tunekit(['cache', 'gc'], { cwd: ws.dir, store: ws.store });
    expect(gc.code).toBe(0);
    expect(gc.stdout).toContain(`removed ${old.stages.a!.key!.slice(0, 16)} a`);
    expect(gc.stdout).toContain(`removed ${old.stages.b!.key!.slice(0, 16)} b`);
    const ls = JSON.parse((await tunekit(['cache', 'ls', '--json'], { cwd: ws.dir, store: ws.store })).stdout) as { key: string }[];
    expect(ls.map((e) => e.key).sort()).toEqual([latest.stages.a!.key, latest.stages.b!.key, latest.stages.c!.key].sort());
  });
});

describe('selection flags', () => {
  test('--only runs a stage and what it needs; --from reruns downstream; --no-cache reruns all', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    expect(statuses(await runJson('pipeline.yaml', ws, ['--only', 'b']))).toEqual({ a: 'ran', b: 'ran' });
    expect(statuses(await runJson('pipeline.yaml', ws, ['--from', 'a']))).toEqual({ a: 'ran', b: 'ran', c: 'ran' });
    expect(statuses(await runJson('pipeline.yaml', ws, ['--force', 'a']))).toEqual({ a: 'ran', b: 'cached', c: 'cached' });
    expect(statuses(await runJson('pipeline.yaml', ws, ['--no-cache']))).toEqual({ a: 'ran', b: 'ran', c: 'ran' });
    const bad = await tunekit(['run', 'pipeline.yaml', '--only', 'zzz'], { cwd: ws.dir, store: ws.store });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('--only zzz: unknown stage "zzz" (stages: a, c, b)');
  });

  test('a stage with cache: false reruns on every run; its downstream reruns only if its outputs change', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE.replace('with: { text: one }', 'with: { text: one }\n    cache: false') });
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ a: 'ran', b: 'ran', c: 'ran' });
    expect(statuses(await runJson('pipeline.yaml', ws))).toEqual({ a: 'ran', b: 'cached', c: 'cached' });
  });
});
