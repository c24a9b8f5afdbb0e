/**
 * Splits a log-batch into requests MLflow accepts: at most 1000 metrics, 100 params, 100 tags,
 * 1000 entities in total, and (with JSON overhead) well under the 1 MB request limit.
 * Order within each kind is kept, as MLflow guarantees it within a request.
 */
import type { LogBatchRequest } from '../client/types.ts';
import {
  MAX_ENTITIES_PER_BATCH,
  MAX_METRICS_PER_BATCH,
  MAX_PARAMS_TAGS_PER_BATCH,
} from '../client/validation.ts';

const MAX_REQUEST_BYTES = 900_000;
const ENTRY_OVERHEAD = 80;

export function splitBatch(batch: LogBatchRequest): Required<LogBatchRequest>[] {
  const chunks: Required<LogBatchRequest>[] = [];
  let current: Required<LogBatchRequest> = { metrics: [], params: [], tags: [] };
  let bytes = 0;
  const total = () => current.metrics.length + current.params.length + current.tags.length;
  const flush = () => {
    if (total() > 0) chunks.push(current);
    current = { metrics: [], params: [], tags: [] };
    bytes = 0;
  };
  const add = <K extends keyof LogBatchRequest>(kind: K, item: NonNullable<LogBatchRequest[K]>[number], limit: number, size: number) => {
    const list = current[kind] as unknown[];
    if (list.length >= limit || total() >= MAX_ENTITIES_PER_BATCH || bytes + size > MAX_REQUEST_BYTES) flush();
    (current[kind] as unknown[]).push(item);
    bytes += size;
  };
  for (const p of batch.params ?? []) add('params', p, MAX_PARAMS_TAGS_PER_BATCH, p.key.length + p.value.length * 6 + ENTRY_OVERHEAD);
  for (const t of batch.tags ?? []) add('tags', t, MAX_PARAMS_TAGS_PER_BATCH, t.key.length + t.value.length * 6 + ENTRY_OVERHEAD);
  for (const m of batch.metrics ?? []) add('metrics', m, MAX_METRICS_PER_BATCH, m.key.length + ENTRY_OVERHEAD);
  flush();
  return chunks;
}
