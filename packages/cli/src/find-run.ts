import { listRunRecords, readRunRecord, type RunRecord, type Store } from '@tunekit/pipeline/engine';
import { UsageError } from './command.ts';

/** A run by full id or unique prefix (`latest` for the newest). */
export async function findRun(store: Store, idOrPrefix: string): Promise<RunRecord> {
  const exact = await readRunRecord(store.runsDir, idOrPrefix);
  if (exact) return exact;
  const records = await listRunRecords(store.runsDir);
  if (idOrPrefix === 'latest' && records.length > 0) return records.at(-1)!;
  const matches = records.filter((record) => record.runId.startsWith(idOrPrefix));
  if (matches.length === 1) return matches[0]!;
  throw new UsageError(matches.length === 0 ? `no run "${idOrPrefix}" in ${store.runsDir}` : `"${idOrPrefix}" matches ${matches.length} runs; give more of the id`);
}
