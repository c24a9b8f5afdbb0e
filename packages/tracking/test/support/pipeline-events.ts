/** Synthetic RunObserver events for a small pipeline run, as the engine sends them. */
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { RunObserver } from '@tunekit/pipeline';

export interface SimulatedRun {
  runId: string;
  t0: number;
}

export async function simulateFirstRun(observer: RunObserver, dir: string, runId = 'run-1'): Promise<SimulatedRun> {
  const t0 = 1_700_000_000_000;
  const metricsFile = join(dir, 'metrics.json');
  fs.writeFileSync(metricsFile, '{"f1":0.81}');
  await observer.runStarted?.({
    runId, pipelineName: 'medical-ner', experiment: 'medical-ner', pipelineFile: '/ws/pipelines/medical-ner.yaml',
    params: { epochs: 2, model: { name: 'biomed-bert-mini' } }, gitCommit: 'abc123', startedAt: t0,
  });
  await observer.stageStarted?.({ runId, stageId: 'corpus', uses: 'data-prep/conll', params: { train: 'datasets/ncbi/train.tsv', lowercase: false }, cacheKey: 'k-corpus', startedAt: t0 + 10 });
  await observer.stageFinished?.({ runId, stageId: 'corpus', uses: 'data-prep/conll', status: 'ran', cacheKey: 'k-corpus', seconds: 1.5, outputs: { dataset: { digest: 'sha256:aaa', path: '/store/aaa' } }, finishedAt: t0 + 1510 });
  for (const strategy of ['full', 'lora']) {
    const stageId = `train[strategy=${strategy}]`;
    await observer.stageStarted?.({ runId, stageId, uses: 'training/fine-tune', params: { strategy, optimizer: { lr: 5e-4, betas: [0.9, 0.999] } }, cacheKey: `k-${strategy}`, startedAt: t0 + 2000 });
    for (let step = 0; step < 3; step++) {
      await observer.stageMetric?.({ runId, stageId, key: 'train/loss', value: (strategy === 'full' ? 1 : 2) / (step + 1), step, timestamp: t0 + 2100 + step });
    }
    await observer.stageMetric?.({ runId, stageId, key: 'eval/f1', value: strategy === 'full' ? 0.81 : 0.78, step: 2, timestamp: t0 + 2200 });
    await observer.stageTag?.({ runId, stageId, key: 'backend', value: 'wasm' });
    await observer.stageArtifact?.({ runId, stageId, path: metricsFile });
    await observer.stageFinished?.({ runId, stageId, uses: 'training/fine-tune', status: 'ran', cacheKey: `k-${strategy}`, seconds: 3, finishedAt: t0 + 5000 });
  }
  await observer.stageStarted?.({ runId, stageId: 'evaluate', uses: 'evaluation/ner', params: {}, cacheKey: 'k-eval', startedAt: t0 + 5100 });
  await observer.stageFinished?.({ runId, stageId: 'evaluate', uses: 'evaluation/ner', status: 'failed', error: 'Error: out of memory', seconds: 0.5, finishedAt: t0 + 5600 });
  await observer.stageFinished?.({ runId, stageId: 'report', uses: 'evaluation/report', status: 'skipped', seconds: 0, finishedAt: t0 + 5600 });
  await observer.runFinished?.({ runId, status: 'failed', finishedAt: t0 + 6000 });
  return { runId, t0 };
}

/** A second run where `corpus` comes from the cache (produced by `producer`). */
export async function simulateCachedRun(observer: RunObserver, producer: string, runId = 'run-2'): Promise<void> {
  const t0 = 1_700_000_100_000;
  await observer.runStarted?.({ runId, pipelineName: 'medical-ner', experiment: 'medical-ner', pipelineFile: '/ws/pipelines/medical-ner.yaml', params: { epochs: 2 }, startedAt: t0 });
  await observer.stageFinished?.({
    runId, stageId: 'corpus', uses: 'data-prep/conll', status: 'cached', cacheKey: 'k-corpus', params: { train: 'datasets/ncbi/train.tsv', lowercase: false },
    seconds: 0.01, producedBy: { runId: producer, stageId: 'corpus' }, outputs: { dataset: { digest: 'sha256:aaa', path: '/store/aaa' } }, finishedAt: t0 + 20,
  });
  await observer.runFinished?.({ runId, status: 'succeeded', finishedAt: t0 + 30 });
}
