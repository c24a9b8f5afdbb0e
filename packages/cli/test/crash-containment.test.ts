/**
 * A stage that throws, exits 1, runs out of memory or is SIGKILLed mid-write fails alone: no store entry for it,
 * independent stages finish and are cached, dependents are skipped, the run exits 1,
 * and the next run resumes from what was cached.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWorkspace, lastJson, runJson, statuses, tunekit } from './helpers.ts';

const pipeline = (mode: string) => `stages:
  crash:
    uses: ./plugins/crash.ts
    with: { mode: ${mode} }
  after:
    uses: ./plugins/upper.ts
    inputs: { src: crash.out }
  sibling:
    uses: ./plugins/write.ts
    with: { text: independent }
`;

describe.each([
  ['throw', /fixture stage threw on purpose/],
  ['exit', /stage process exited with code 1 before finishing/],
  ['sigkill', /stage process killed by SIGKILL/],
  ['oom', /stage process (killed by SIGABRT|exited with code 134) .*out of memory\?/],
])('a stage that fails by %s', (mode, reason) => {
  test('fails alone, leaves no entry, and the next run resumes', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': pipeline(mode) });
    // TUNEKIT_STAGE_MEMORY_MB caps each stage's heap, so the "oom" mode dies quickly.
    const result = await tunekit(['run', 'pipeline.yaml', '--json', '--jobs', '1'], { cwd: ws.dir, store: ws.store, env: { TUNEKIT_STAGE_MEMORY_MB: '64' } });
    const first = lastJson(result);
    expect(result.code).toBe(1);
    expect(first.status).toBe('failed');
    expect(statuses(first)).toEqual({ crash: 'failed', after: 'skipped', sibling: 'ran' });
    expect(first.stages.crash!.error).toMatch(reason);
    // no entry (not even a partial one) for the failed stage, no leftover temp directory
    const failedKey = first.stages.crash!.key!;
    expect(existsSync(join(ws.store, 'objects', failedKey.slice(0, 2), failedKey))).toBe(false);
    expect(readdirSync(join(ws.store, 'tmp'))).toEqual([]);
    // the log keeps the reason
    const show = await tunekit(['show', first.runId], { cwd: ws.dir, store: ws.store });
    expect(show.stdout).toMatch(reason);

    ws.write('pipeline.yaml', pipeline('ok'));
    const second = await runJson('pipeline.yaml', ws);
    expect(second.code).toBe(0);
    expect(statuses(second)).toEqual({ crash: 'ran', after: 'ran', sibling: 'cached' });
  });
});

describe('a stage that exits right after a burst of messages', () => {
  test('still finishes: its "done" is read even when the process exit is seen first', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': `stages:\n  chatty:\n    uses: ./plugins/chatty.ts\n    with: { count: 20000 }\n` });
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await tunekit(['run', 'pipeline.yaml', '--json', '--no-cache', '--no-tracking'], { cwd: ws.dir, store: ws.store });
      expect(lastJson(result).stages.chatty!.error).toBeUndefined();
      expect(result.code).toBe(0);
    }
  });
});

describe('ctx.scratchDir', () => {
  test('survives a killed attempt for the same cache key and is removed once the entry is stored', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': `stages:\n  train:\n    uses: ./plugins/resume.ts\n` });
    const first = await runJson('pipeline.yaml', ws);
    expect(first.stages.train!.status).toBe('failed');
    const key = first.stages.train!.key!;
    expect(readFileSync(join(ws.store, 'scratch', key, 'attempts'), 'utf8')).toBe('1');
    const second = await runJson('pipeline.yaml', ws);
    expect(second.stages.train!.status).toBe('ran');
    expect(second.stages.train!.key).toBe(key);
    expect(readFileSync(join(second.stages.train!.outputs.out!.path, 'text.txt'), 'utf8')).toBe('attempts=2');
    expect(existsSync(join(ws.store, 'scratch', key))).toBe(false);
  });
});
