/**
 * Delivers journaled operations to the server, in order, exactly once:
 * - after each delivered operation an `{"ack": id}` line is appended (fsynced), so a sync that
 *   is interrupted and started again skips what was delivered;
 * - an operation that may have reached the server without its ack being written (crash
 *   between the two) is checked before it is sent again: a run is looked up by its
 *   `tunekit.client_run_id` tag, metrics already present with the same
 *   (key, value, timestamp, step) are dropped, and params/tags/status/artifacts are idempotent
 *   in MLflow (same value again is allowed, tags overwrite, PUT replaces).
 * A fully delivered journal (and its copied artifact files) is deleted.
 */
import * as fs from 'node:fs';
import { getOrCreateExperiment } from '../client/types.ts';
import type { KeyValue, Metric } from '../client/types.ts';
import { quoteFilterValue } from '../client/search-filter.ts';
import type { RestClient } from '../rest/rest-client.ts';
import { CLIENT_RUN_ID_TAG } from './buffered-client.ts';
import { appendJournalLine, listJournals, readJournal, writerAlive, type JournalOp } from './journal.ts';

export interface SyncResult {
  journal: string;
  uri: string;
  delivered: number;
  alreadyDelivered: number;
  duplicatesSkipped: number;
  status: 'done' | 'in-use' | 'failed';
  error?: string;
}

function metricId(m: Metric): string {
  return `${m.key}\u0000${Object.is(m.value, NaN) ? 'NaN' : String(m.value)}\u0000${m.timestamp}\u0000${m.step}`;
}

export async function syncJournal(path: string, clientFor: (uri: string) => RestClient): Promise<SyncResult> {
  const state = readJournal(path);
  const result: SyncResult = { journal: path, uri: state.uri, delivered: 0, alreadyDelivered: 0, duplicatesSkipped: 0, status: 'done' };
  if (writerAlive(path)) return { ...result, status: 'in-use' };
  const client = clientFor(state.uri);
  const ids = state.ids;
  const resolve = (id: string): string => {
    if (!id.startsWith('local-')) return id;
    const mapped = ids.get(id);
    if (!mapped) throw new Error(`${path}: no server id for ${id} (its create operation was not delivered)`);
    return mapped;
  };
  /** Tag values may name runs created offline (mlflow.parentRunId): rewrite them too. */
  const resolveTags = (tags: KeyValue[] | undefined): KeyValue[] | undefined =>
    tags?.map((t) => (t.key !== CLIENT_RUN_ID_TAG && ids.has(t.value) ? { key: t.key, value: ids.get(t.value)! } : t));
  const remember = (local: string, server: string) => {
    ids.set(local, server);
    appendJournalLine(path, { map: local, to: server });
  };
  const historyCache = new Map<string, Set<string>>();
  const deliveredMetrics = async (runId: string, key: string): Promise<Set<string>> => {
    const cacheKey = `${runId}\u0000${key}`;
    let set = historyCache.get(cacheKey);
    if (!set) {
      set = new Set((await client.getMetricHistory(runId, key)).map(metricId));
      historyCache.set(cacheKey, set);
    }
    return set;
  };

  const deliver = async (op: JournalOp): Promise<void> => {
    switch (op.type) {
      case 'createExperiment': {
        if (!ids.has(op.localExperimentId)) remember(op.localExperimentId, await getOrCreateExperiment(client, op.name));
        return;
      }
      case 'createRun': {
        if (ids.has(op.localRunId)) return;
        const experimentId = resolve(op.request.experimentId);
        const found = await client.searchRuns({
          experimentIds: [experimentId],
          filter: `tags.\`${CLIENT_RUN_ID_TAG}\` = ${quoteFilterValue(op.localRunId)}`,
          maxResults: 1,
        });
        const runId = found.runs[0]?.info.runId ?? (await client.createRun({ ...op.request, experimentId, tags: resolveTags(op.request.tags) })).runId;
        remember(op.localRunId, runId);
        return;
      }
      case 'updateRun':
        await client.updateRun(resolve(op.runId), op.update);
        return;
      case 'logBatch': {
        const runId = resolve(op.runId);
        const metrics: Metric[] = [];
        for (const m of op.batch.metrics ?? []) {
          const seen = await deliveredMetrics(runId, m.key);
          if (seen.has(metricId(m))) result.duplicatesSkipped++;
          else metrics.push(m);
        }
        await client.logBatchChunk(runId, { ...op.batch, metrics, tags: resolveTags(op.batch.tags) });
        for (const m of metrics) (await deliveredMetrics(runId, m.key)).add(metricId(m));
        return;
      }
      case 'logArtifact':
        await client.logArtifact(resolve(op.runId), op.file, op.artifactPath);
        return;
    }
  };

  try {
    for (const op of state.ops) {
      if (state.acked.has(op.id)) {
        result.alreadyDelivered++;
        continue;
      }
      await deliver(op);
      appendJournalLine(path, { ack: op.id });
      result.delivered++;
    }
  } catch (error) {
    return { ...result, status: 'failed', error: (error as Error).message };
  }
  fs.rmSync(`${path.replace(/\.jsonl$/, '')}.files`, { recursive: true, force: true });
  fs.rmSync(`${path}.lock`, { force: true });
  fs.rmSync(path, { force: true });
  return result;
}

export async function syncAll(bufferDir: string, clientFor: (uri: string) => RestClient): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (const journal of listJournals(bufferDir)) results.push(await syncJournal(journal, clientFor));
  return results;
}
