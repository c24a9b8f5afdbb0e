import { isRemoteLocation, listRunRecords, StoreError, type Store } from '@tunekit/pipeline/engine';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { line, parseCommandArgs, UsageError, type Command, type CommandIO } from '../command.ts';
import { openCommandStore, withStore } from '../store-location.ts';

const help = `Usage: tunekit cache <ls|verify|gc> [options] [--store <dir|s3://bucket/prefix>]

  ls                     List store entries: key, stage, producing run, outputs.
  verify                 Re-hash every entry's outputs; report corrupt entries (exit 1 if any).
    --remove             Also delete corrupt entries (they rerun next time).
  gc                     Delete entries no longer referenced by the latest run record(s) of
                         each pipeline, plus leftovers of killed runs. Refuses while a run is active.
    --keep <n>           Keep what the latest n runs of each pipeline used (default 1).
    --dry-run            Only print what would be deleted.

The store is --store, else TUNEKIT_STORE, else TUNEKIT_HOME, else .tunekit/ at the workspace root.
On an S3 store, ls lists the bucket's entries, verify re-downloads and re-hashes every object
(and the local copy, if any), --remove deletes a corrupt entry's manifest and its corrupt objects;
gc is not supported (run records are per machine: no machine knows what the others use).`;

async function ls(store: Store, io: CommandIO, json: boolean): Promise<number> {
  const entries = await store.listEntries();
  if (json) {
    line(io.stdout, JSON.stringify(entries.map((entry) => ({ key: entry.key, stageId: entry.meta.stageId, uses: entry.meta.uses, runId: entry.meta.runId, createdAt: entry.meta.createdAt, outputs: entry.meta.outputs, dir: entry.dir }))));
    return 0;
  }
  for (const entry of entries) {
    const outputs = Object.keys(entry.meta.outputs).join(',') || '-';
    line(io.stdout, `${entry.key.slice(0, 16)}  ${entry.meta.stageId.padEnd(28)} ${entry.meta.uses.padEnd(24)} ${entry.meta.runId}  ${outputs}`);
  }
  line(io.stdout, `${entries.length} entries in ${store.location}`);
  return 0;
}

async function verify(store: Store, io: CommandIO, remove: boolean): Promise<number> {
  const entries = await store.listEntries();
  let corrupt = 0;
  for (const entry of entries) {
    const problems = await store.verify(entry);
    if (problems.length === 0) continue;
    corrupt++;
    line(io.stdout, `corrupt ${entry.key} (${entry.meta.stageId}): ${problems.join('; ')}${remove ? ' — removed' : ''}`);
    if (remove) await store.remove(entry.key);
  }
  line(io.stdout, `verified ${entries.length} entries: ${corrupt} corrupt`);
  return corrupt === 0 ? 0 : 1;
}

async function gc(store: Store, io: CommandIO, keep: number, dryRun: boolean): Promise<number> {
  if (isRemoteLocation(store.location)) {
    throw new StoreError(`cache gc does not support the S3 store ${store.location}: run records are kept per machine, so no machine knows which entries the others still use; expire entries/ and blobs/ with a bucket lifecycle rule, or delete the prefix`);
  }
  const active = await store.activeRuns();
  if (active.length > 0) {
    line(io.stderr, `cache gc: ${active.length} run(s) in progress (${active.map((run) => `${run.runId} pid ${run.pid}`).join(', ')}); try again when they finish`);
    return 1;
  }
  const records = await listRunRecords(store.runsDir);
  const byPipeline = new Map<string, typeof records>();
  for (const record of records) byPipeline.set(record.pipelineFile, [...(byPipeline.get(record.pipelineFile) ?? []), record]);
  const live = new Set<string>();
  for (const list of byPipeline.values()) {
    for (const record of list.slice(-keep)) for (const stage of Object.values(record.stages)) if (stage.key) live.add(stage.key);
  }
  let removed = 0;
  for (const entry of await store.listEntries()) {
    if (live.has(entry.key)) continue;
    removed++;
    line(io.stdout, `${dryRun ? 'would remove' : 'removed'} ${entry.key.slice(0, 16)} ${entry.meta.stageId}`);
    if (!dryRun) await store.remove(entry.key);
  }
  if (!dryRun) {
    await store.cleanStaleTemp();
    for (const sub of ['collections', 'scratch']) {
      const dir = join(store.root, sub);
      if (!existsSync(dir)) continue;
      for (const name of await readdir(dir)) if (sub === 'collections' || !live.has(name)) await rm(join(dir, name), { recursive: true, force: true });
    }
  }
  line(io.stdout, `${dryRun ? 'would remove' : 'removed'} ${removed} entries; kept ${live.size} referenced by the latest ${keep} run(s) of ${byPipeline.size} pipeline(s)`);
  return 0;
}

export const cacheCommand: Command = {
  name: 'cache',
  summary: 'Inspect and maintain the artifact store: ls, verify, gc.',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      store: { type: 'string' },
      json: { type: 'boolean' },
      remove: { type: 'boolean' },
      keep: { type: 'string', default: '1' },
      'dry-run': { type: 'boolean' },
    });
    const [action] = positionals;
    if (positionals.length !== 1) throw new UsageError('expected one of: ls, verify, gc');
    if (action !== 'ls' && action !== 'verify' && action !== 'gc') throw new UsageError(`unknown action "${action}": expected ls, verify or gc`);
    const keep = Number(values.keep);
    if (action === 'gc' && (!Number.isInteger(keep) || keep < 1)) throw new UsageError(`--keep expects a positive integer, found "${values.keep}"`);
    return withStore(await openCommandStore(io.cwd, values.store), (store) => {
      if (action === 'ls') return ls(store, io, Boolean(values.json));
      if (action === 'verify') return verify(store, io, Boolean(values.remove));
      return gc(store, io, keep, Boolean(values['dry-run']));
    });
  },
};
