/** Run records: tunekit runs, show, rerun (bit-identical check). */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWorkspace, lastJson, runJson, tunekit } from './helpers.ts';

const PIPELINE = `name: recorded\nstages:\n  a:\n    uses: ./plugins/write.ts\n    with: { text: hello }\n  b:\n    uses: ./plugins/upper.ts\n    inputs: { src: a.out }\n`;

describe('run records', () => {
  test('each run is recorded with per-stage status, key, digests, seconds and log', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    const first = await runJson('pipeline.yaml', ws, ['--set', 'a.with.repeat=2']);
    const record = JSON.parse(readFileSync(join(ws.store, 'runs', `${first.runId}.json`), 'utf8'));
    expect(record.status).toBe('succeeded');
    expect(record.overrides).toEqual(['a.with.repeat=2']);
    expect(record.spec.stages.a.with).toEqual({ text: 'hello', repeat: 2 });
    expect(record.stages.b).toMatchObject({ status: 'ran', key: first.stages.b!.key, inputs: { src: first.stages.a!.outputs.out!.digest }, outputs: first.stages.b!.outputs });
    expect(record.stages.b.fingerprint).toEqual({ platform: `${process.platform}-${process.arch}` });
    expect(readFileSync(record.stages.a.log, 'utf8')).toContain('writing 2 x "hello" with seed 0');
    const second = await runJson('pipeline.yaml', ws, ['--set', 'a.with.repeat=2']);
    const cached = JSON.parse(readFileSync(join(ws.store, 'runs', `${second.runId}.json`), 'utf8'));
    expect(cached.stages.a.producedBy).toEqual({ runId: first.runId, stageId: 'a' });

    const runs = await tunekit(['runs'], { cwd: ws.dir, store: ws.store });
    expect(runs.stdout).toMatch(new RegExp(`${first.runId}  recorded\\s+succeeded .* 2 ran`));
    expect(runs.stdout).toMatch(new RegExp(`${second.runId}  recorded\\s+succeeded .* 2 cached`));
    const show = await tunekit(['show', first.runId.slice(0, 18)], { cwd: ws.dir, store: ws.store });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`  key      ${first.stages.b!.key}`);
  });

  test('rerun executes the recorded spec without the cache and reports identical digests', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    const first = await runJson('pipeline.yaml', ws, ['--set', 'a.with.repeat=3']);
    ws.write('pipeline.yaml', PIPELINE.replace('hello', 'changed since')); // the record, not the file, is rerun
    const rerun = await tunekit(['rerun', first.runId, '--json'], { cwd: ws.dir, store: ws.store });
    expect(rerun.code).toBe(0);
    const json = lastJson<{ identical: boolean; rerunOf: string; stages: Record<string, { identical: boolean }> }>(rerun);
    expect(json.rerunOf).toBe(first.runId);
    expect(json.identical).toBe(true);
    expect(json.stages).toEqual({ a: expect.objectContaining({ identical: true }), b: expect.objectContaining({ identical: true }) });
    const record = JSON.parse(readFileSync(join(ws.store, 'runs', `${(json as unknown as { runId: string }).runId}.json`), 'utf8'));
    expect(record.stages.a.status).toBe('ran');
  });

  test('rerun reports a stage whose output is not reproducible', async () => {
    const ws = fixtureWorkspace({
      'pipeline.yaml': `stages:\n  clock:\n    uses: command\n    outputs: [out]\n    run: [node, -e, "require('fs').writeFileSync(process.env.TUNEKIT_OUTPUT_OUT + '/t', String(process.hrtime.bigint()))"]\n`,
      'package.json': '{}',
    });
    const first = await runJson('pipeline.yaml', ws);
    expect(first.code).toBe(0);
    const rerun = await tunekit(['rerun', first.runId, '--json'], { cwd: ws.dir, store: ws.store });
    expect(rerun.code).toBe(1);
    expect(rerun.stderr).toMatch(/DIFFERENT {2}clock\.out/);
  });
});
