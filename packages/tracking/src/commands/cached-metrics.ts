/**
 * A cache-hit stage run has no metrics of its own (nothing is copied); for display, the
 * commands show the final metrics of the run that produced the cached outputs
 * (`tunekit.cache.source_run_id`), marked as such.
 */
import { tagValue, type Metric, type Run, type TrackingClient } from '../client/types.ts';
import { TUNEKIT_CACHE, TUNEKIT_CACHE_SOURCE_RUN_ID } from '../observer/tag-names.ts';

export interface DisplayMetrics {
  metrics: Metric[];
  /** MLflow run id the metrics come from, when not the run itself. */
  from?: string;
}

export async function displayMetrics(client: TrackingClient, run: Run, cache = new Map<string, Run>()): Promise<DisplayMetrics> {
  const source = tagValue(run, TUNEKIT_CACHE) === 'hit' ? tagValue(run, TUNEKIT_CACHE_SOURCE_RUN_ID) : undefined;
  if (!source || run.metrics.length > 0) return { metrics: run.metrics };
  let producer = cache.get(source);
  if (!producer) {
    try {
      producer = await client.getRun(source);
    } catch {
      return { metrics: run.metrics };
    }
    cache.set(source, producer);
  }
  return { metrics: producer.metrics, from: source };
}
