/**
 * What experiment tracking (file store) adds to a pipeline run:
 *  (a) a fully cached run of 10 stages (each cached stage = a nested run + a search for the run
 *      that produced it), on stores already holding 0 / 50 / 200 earlier pipeline runs;
 *  (b) logging 10 stages x 1,000 steps x 2 metrics through the observer.
 * Run: node --import tsx bench/tracking-observer/observer-overhead.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileStoreClient, createTrackingObserver } from '@tunekit/tracking';

const STAGES = 10;

async function ranRun(client: FileStoreClient, runId: string, stepsPerStage: number): Promise<number> {
  const observer = createTrackingObserver({ workspaceRoot: '/', client, metricFlushMs: 1000 });
  const t0 = performance.now();
  const now = Date.now();
  await observer.runStarted!({ runId, pipelineName: 'bench', experiment: 'bench', pipelineFile: '/bench.yaml', params: { seed: 1 }, startedAt: now });
  for (let s = 0; s < STAGES; s++) {
    const stageId = `stage${s}`;
    await observer.stageStarted!({ runId, stageId, uses: 'bench/x', params: { a: s, b: { c: 'x' } }, cacheKey: `k${s}`, startedAt: now });
    for (let step = 0; step < stepsPerStage; step++) {
      await observer.stageMetric!({ runId, stageId, key: 'train/loss', value: 1 / (step + 1), step, timestamp: now + step });
      await observer.stageMetric!({ runId, stageId, key: 'train/lr', value: 1e-4, step, timestamp: now + step });
    }
    await observer.stageFinished!({ runId, stageId, uses: 'bench/x', status: 'ran', cacheKey: `k${s}`, seconds: 1, finishedAt: now });
  }
  await observer.runFinished!({ runId, status: 'succeeded', finishedAt: now });
  return performance.now() - t0;
}

async function cachedRun(client: FileStoreClient, runId: string, producer: string): Promise<number> {
  const observer = createTrackingObserver({ workspaceRoot: '/', client });
  const t0 = performance.now();
  const now = Date.now();
  await observer.runStarted!({ runId, pipelineName: 'bench', experiment: 'bench', pipelineFile: '/bench.yaml', params: { seed: 1 }, startedAt: now });
  for (let s = 0; s < STAGES; s++) {
    await observer.stageFinished!({
      runId, stageId: `stage${s}`, uses: 'bench/x', status: 'cached', cacheKey: `k${s}`, params: { a: s },
      seconds: 0.01, producedBy: { runId: producer, stageId: `stage${s}` }, finishedAt: now,
    });
  }
  await observer.runFinished!({ runId, status: 'succeeded', finishedAt: now });
  return performance.now() - t0;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-tracking-'));
try {
  const client = new FileStoreClient(join(dir, 'mlruns'));
  let existing = 0;
  for (const target of [0, 50, 200]) {
    for (; existing < target; existing++) await ranRun(client, `prior-${existing}`, 20);
    const producer = existing > 0 ? `prior-${Math.floor(existing / 2)}` : 'none';
    const times = [];
    for (let i = 0; i < 3; i++) times.push(await cachedRun(client, `cached-${target}-${i}`, producer));
    console.log(`(a) cached run, ${STAGES} stages, store with ${existing} earlier runs: ${times.map((t) => t.toFixed(0)).join(' / ')} ms`);
  }
  const ms = await ranRun(client, 'metrics-heavy', 1000);
  console.log(`(b) ${STAGES} stages x 1000 steps x 2 metrics: ${ms.toFixed(0)} ms (${((STAGES * 2000) / (ms / 1000)).toFixed(0)} metric values/s)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
