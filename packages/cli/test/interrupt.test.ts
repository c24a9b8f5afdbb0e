/** Ctrl-C / SIGTERM stop the stage processes and leave no partial store entry. */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixtureWorkspace, isAlive, runJson, statuses, tunekit } from './helpers.ts';

async function waitFor(path: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}`);
    await sleep(50);
  }
}

describe.each(['SIGINT', 'SIGTERM'] as const)('%s during a run', (signal) => {
  test('stops the stage, exits 130, and leaves no entry or temp directory', async () => {
    const ws = fixtureWorkspace({
      'pipeline.yaml': `stages:\n  long:\n    uses: ./plugins/sleep.ts\n    with: { ms: 60000, marker: started.pid }\n  quick:\n    uses: ./plugins/write.ts\n    with: { text: q }\n`,
    });
    let pid = 0;
    const running = tunekit(['run', 'pipeline.yaml', '--json', '--jobs', '1'], { cwd: ws.dir, store: ws.store, onSpawn: (p) => (pid = p) });
    await waitFor(join(ws.dir, 'started.pid'));
    const stagePid = Number((await import('node:fs')).readFileSync(join(ws.dir, 'started.pid'), 'utf8'));
    process.kill(pid, signal);
    const result = await running;
    expect(result.code).toBe(130);
    const json = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(json.status).toBe('interrupted');
    expect(json.stages.long.status).toBe('failed');
    expect(json.stages.long.error).toBe('interrupted');
    expect(isAlive(stagePid)).toBe(false);
    const objects = join(ws.store, 'objects');
    const entries = existsSync(objects) ? readdirSync(objects) : [];
    expect(entries).toEqual([]);
    expect(readdirSync(join(ws.store, 'tmp'))).toEqual([]);
    // the next run starts the interrupted stage again and completes
    const next = await runJson('pipeline.yaml', ws, ['--set', 'long.with.ms=10']);
    expect(next.code).toBe(0);
    expect(statuses(next)).toEqual({ long: 'ran', quick: 'ran' });
    void tunekit;
  });
});
