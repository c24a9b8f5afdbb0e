/**
 * The filesystem store shared by several writers (several processes or machines on one path):
 * a key committed by two writers at once ends as one complete entry, the later writer gets the
 * first one's entry back; a forced rerun still replaces; another machine's temp directories and
 * active runs are left alone (their pids mean nothing here).
 */
import { describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStore } from '../src/cache/stores/fs/fs-store.ts';

const KEY = 'ab'.repeat(32);
const meta = (runId: string) => ({ key: KEY, stageId: 's', runId, uses: 'x', createdAt: '', seconds: 0, components: {} as never });

function store(): FsStore {
  return new FsStore(mkdtempSync(join(tmpdir(), 'tunekit-fs-writers-')));
}

async function pending(s: FsStore, text: string) {
  const entry = await s.createPending(KEY, ['out']);
  writeFileSync(join(entry.outputDir('out'), 'a.txt'), text);
  return entry;
}

describe('fs store with several writers', () => {
  test('two writers commit one key at once: one complete entry, both get it', async () => {
    const s = store();
    const [first, second] = [await pending(s, 'one'), await pending(s, 'two')];
    const [a, b] = await Promise.all([s.commit(first, meta('run-a')), s.commit(second, meta('run-b'))]);
    expect(a.meta.runId).toBe(b.meta.runId);
    expect(readFileSync(join(s.outputPath(KEY, 'out'), 'a.txt'), 'utf8')).toBe(a.meta.runId === 'run-a' ? 'one' : 'two');
    expect(await s.verify((await s.lookup(KEY))!)).toEqual([]);
    expect(readdirSync(join(s.root, 'tmp'))).toEqual([]);
    rmSync(s.root, { recursive: true, force: true });
  });

  test('a pending entry created while an entry existed (a forced rerun) replaces it', async () => {
    const s = store();
    await s.commit(await pending(s, 'old'), meta('run-1'));
    const replaced = await s.commit(await pending(s, 'new'), meta('run-2'));
    expect(replaced.meta.runId).toBe('run-2');
    expect(readFileSync(join(s.outputPath(KEY, 'out'), 'a.txt'), 'utf8')).toBe('new');
    rmSync(s.root, { recursive: true, force: true });
  });

  test("temp directories: this host's dead writers are removed, another host's are kept for a day", async () => {
    const s = store();
    const tmp = join(s.root, 'tmp');
    const host = hostname().replace(/[.-]/g, '_');
    mkdirSync(join(tmp, `${KEY}.${host}-999999999.dead`), { recursive: true });
    mkdirSync(join(tmp, `${KEY}.${host}-${process.pid}.alive`));
    mkdirSync(join(tmp, `${KEY}.other_machine-${process.pid}.fresh`));
    mkdirSync(join(tmp, `${KEY}.other_machine-1.old`));
    const dayAgo = (Date.now() - 25 * 3600 * 1000) / 1000;
    utimesSync(join(tmp, `${KEY}.other_machine-1.old`), dayAgo, dayAgo);
    expect(await s.cleanStaleTemp()).toBe(2);
    expect(readdirSync(tmp).sort()).toEqual([`${KEY}.${host}-${process.pid}.alive`, `${KEY}.other_machine-${process.pid}.fresh`].sort());
    rmSync(s.root, { recursive: true, force: true });
  });

  test("another machine's active run counts as active; this machine's dead one is dropped", async () => {
    const s = store();
    const active = join(s.root, 'locks', 'active');
    mkdirSync(active, { recursive: true });
    writeFileSync(join(active, 'remote.pid'), '999999999 other-machine');
    writeFileSync(join(active, 'dead.pid'), `999999999 ${hostname()}`);
    const unregister = await s.registerActiveRun('mine');
    expect((await s.activeRuns()).map((run) => run.runId).sort()).toEqual(['mine', 'remote']);
    await unregister();
    rmSync(s.root, { recursive: true, force: true });
  });
});
