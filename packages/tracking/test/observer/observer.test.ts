import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { FileStoreClient } from '../../src/file-store/file-store.ts';
import { createTrackingObserver } from '../../src/observer/tracking-observer.ts';
import { flattenParams } from '../../src/observer/flatten-params.ts';
import { searchAllRuns, tagValue, type Run, type TrackingClient } from '../../src/client/types.ts';
import { FakeMlflowServer } from '../support/fake-mlflow-server.ts';
import { simulateCachedRun, simulateFirstRun } from '../support/pipeline-events.ts';
import { tempDir } from '../support/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

async function allRuns(client: TrackingClient): Promise<Map<string, Run>> {
  const experiment = await client.getExperimentByName('medical-ner');
  const runs = await searchAllRuns(client, { experimentIds: [experiment!.experimentId] });
  return new Map(runs.map((r) => [`${tagValue(r, 'tunekit.run_id')}:${r.info.runName}`, r]));
}

const kv = (list: { key: string; value: string }[]) => Object.fromEntries(list.map((x) => [x.key, x.value]));

describe('params flattening', () => {
  test('nested objects become dotted keys; strings stay, other values are JSON', () => {
    expect(flattenParams({ optimizer: { lr: 5e-4, betas: [0.9, 0.999] }, name: 'x', flag: true, empty: {}, none: null })).toEqual([
      { key: 'optimizer.lr', value: '0.0005' },
      { key: 'optimizer.betas', value: '[0.9,0.999]' },
      { key: 'name', value: 'x' },
      { key: 'flag', value: 'true' },
      { key: 'empty', value: '{}' },
      { key: 'none', value: 'null' },
    ]);
  });

  test('characters MLflow does not allow in keys become _', () => {
    expect(flattenParams({ 'a:b': 1, 'c$': 2 })).toEqual([{ key: 'a_b', value: '1' }, { key: 'c_', value: '2' }]);
  });
});

describe('observer → MLflow runs (file store)', () => {
  test('one parent run per pipeline run with pipeline params and system tags', async () => {
    const client = new FileStoreClient(join(dir.path, 'mlruns'));
    const observer = createTrackingObserver({ workspaceRoot: dir.path, client });
    await simulateFirstRun(observer, dir.path);
    const parent = (await allRuns(client)).get('run-1:medical-ner-run-1')!;
    expect(parent.info).toMatchObject({ status: 'FAILED', startTime: 1_700_000_000_000, endTime: 1_700_000_006_000 });
    expect(kv(parent.params)).toEqual({ epochs: '2', 'model.name': 'biomed-bert-mini' });
    expect(kv(parent.tags)).toMatchObject({
      'mlflow.runName': 'medical-ner-run-1',
      'mlflow.source.name': '/ws/pipelines/medical-ner.yaml',
      'mlflow.source.type': 'LOCAL',
      'mlflow.source.git.commit': 'abc123',
      'tunekit.pipeline': 'medical-ner',
      'tunekit.run_id': 'run-1',
    });
    expect(tagValue(parent, 'mlflow.user')).toBeTruthy();
    expect(tagValue(parent, 'mlflow.parentRunId')).toBeUndefined();
  });

  test('each stage is a nested run with flattened params, metrics with steps, tags and artifacts', async () => {
    const client = new FileStoreClient(join(dir.path, 'mlruns'));
    const observer = createTrackingObserver({ workspaceRoot: dir.path, client });
    await simulateFirstRun(observer, dir.path);
    const runs = await allRuns(client);
    const parent = runs.get('run-1:medical-ner-run-1')!;
    const lora = runs.get('run-1:train[strategy=lora]')!;
    expect(tagValue(lora, 'mlflow.parentRunId')).toBe(parent.info.runId);
    expect(kv(lora.params)).toEqual({ strategy: 'lora', 'optimizer.lr': '0.0005', 'optimizer.betas': '[0.9,0.999]' });
    expect(kv(lora.tags)).toMatchObject({ 'tunekit.stage_id': 'train[strategy=lora]', 'tunekit.uses': 'training/fine-tune', 'tunekit.cache': 'miss', 'tunekit.cache_key': 'k-lora', 'tunekit.status': 'ran', backend: 'wasm' });
    expect(lora.info).toMatchObject({ status: 'FINISHED', startTime: 1_700_000_002_000, endTime: 1_700_000_005_000 });
    expect((await client.getMetricHistory(lora.info.runId, 'train/loss')).map((m) => [m.step, m.value])).toEqual([[0, 2], [1, 1], [2, 2 / 3]]);
    expect(lora.metrics.find((m) => m.key === 'eval/f1')).toEqual({ key: 'eval/f1', value: 0.78, step: 2, timestamp: 1_700_000_002_200 });
    expect(await client.listArtifacts(lora.info.runId)).toEqual(['metrics.json']);
    expect(tagValue(runs.get('run-1:corpus')!, 'tunekit.output.dataset')).toBe('sha256:aaa');
  });

  test('failed stages end FAILED with the error tag; skipped stages get a KILLED run', async () => {
    const client = new FileStoreClient(join(dir.path, 'mlruns'));
    const observer = createTrackingObserver({ workspaceRoot: dir.path, client });
    await simulateFirstRun(observer, dir.path);
    const runs = await allRuns(client);
    expect(runs.get('run-1:evaluate')!.info.status).toBe('FAILED');
    expect(tagValue(runs.get('run-1:evaluate')!, 'tunekit.error')).toBe('Error: out of memory');
    expect(runs.get('run-1:report')!.info).toMatchObject({ status: 'KILLED', endTime: 1_700_000_005_600 });
    expect(tagValue(runs.get('run-1:report')!, 'tunekit.status')).toBe('skipped');
    expect(runs.size).toBe(6);
  });

  test('a cached stage gets a run tagged tunekit.cache=hit pointing at the run that produced its outputs, with no metrics', async () => {
    const client = new FileStoreClient(join(dir.path, 'mlruns'));
    const observer = createTrackingObserver({ workspaceRoot: dir.path, client });
    await simulateFirstRun(observer, dir.path);
    await simulateCachedRun(observer, 'run-1');
    const runs = await allRuns(client);
    const producer = runs.get('run-1:corpus')!;
    const cached = runs.get('run-2:corpus')!;
    expect(kv(cached.tags)).toMatchObject({
      'tunekit.cache': 'hit',
      'tunekit.cache.source': 'run-1/corpus',
      'tunekit.cache.source_run_id': producer.info.runId,
      'mlflow.parentRunId': runs.get('run-2:medical-ner-run-2')!.info.runId,
    });
    expect(cached.metrics).toEqual([]);
    expect(kv(cached.params)).toEqual({ train: 'datasets/ncbi/train.tsv', lowercase: 'false' });
    expect(cached.info).toMatchObject({ status: 'FINISHED', startTime: 1_700_000_100_010, endTime: 1_700_000_100_020 });
    expect(runs.get('run-2:medical-ner-run-2')!.info.status).toBe('FINISHED');
  });

  test('a stage still open when the run is interrupted ends KILLED, its buffered metrics written', async () => {
    const client = new FileStoreClient(join(dir.path, 'mlruns'));
    const observer = createTrackingObserver({ workspaceRoot: dir.path, client, metricFlushMs: 60_000 });
    await observer.runStarted!({ runId: 'r', pipelineName: 'medical-ner', experiment: 'medical-ner', pipelineFile: '/p.yaml', params: {}, startedAt: 1 });
    await observer.stageStarted!({ runId: 'r', stageId: 'train', uses: 'training/fine-tune', params: {}, cacheKey: 'k', startedAt: 2 });
    await observer.stageMetric!({ runId: 'r', stageId: 'train', key: 'loss', value: 0.5, step: 7, timestamp: 3 });
    await observer.runFinished!({ runId: 'r', status: 'interrupted', finishedAt: 9 });
    const runs = await allRuns(client);
    expect(runs.get('r:train')!.info).toMatchObject({ status: 'KILLED', endTime: 9 });
    expect(runs.get('r:train')!.metrics).toEqual([{ key: 'loss', value: 0.5, timestamp: 3, step: 7 }]);
    expect(runs.get('r:medical-ner-r')!.info.status).toBe('KILLED');
  });

  test('tracking errors are reported, never thrown into the runner', async () => {
    const client = new FileStoreClient(join(dir.path, 'mlruns'));
    const errors: string[] = [];
    const observer = createTrackingObserver({ workspaceRoot: dir.path, client, onError: (e, ctx) => errors.push(`${ctx}: ${e.message}`) });
    await observer.runStarted!({ runId: 'r', pipelineName: 'p', experiment: 'p', pipelineFile: '/p.yaml', params: {}, startedAt: 1 });
    await observer.stageStarted!({ runId: 'r', stageId: 's', uses: 'x/y', params: {}, cacheKey: 'k', startedAt: 2 });
    await expect(observer.stageTag!({ runId: 'r', stageId: 's', key: 'bad!key', value: 'v' })).resolves.toBeUndefined();
    expect(errors).toEqual(["stage s tag bad!key: INVALID_PARAMETER_VALUE: Invalid tag name: 'bad!key'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/)."]);
  });

  test('the store is chosen from the run: MLFLOW_TRACKING_URI, else the pipeline tracking.uri', async () => {
    const observer = createTrackingObserver({ workspaceRoot: dir.path, env: {} });
    await observer.runStarted!({ runId: 'r', pipelineName: 'p', experiment: 'p', pipelineFile: '/p.yaml', params: {}, trackingUri: 'file:./custom-runs', startedAt: 1 });
    await observer.runFinished!({ runId: 'r', status: 'succeeded', finishedAt: 2 });
    const client = new FileStoreClient(join(dir.path, 'custom-runs'));
    expect((await client.getRun(observer.ids.parentRunId!)).info.status).toBe('FINISHED');
  });
});

describe('observer → MLflow runs (REST server)', () => {
  test('the same mapping, including the cache-hit link, through the REST API', async () => {
    const server = await new FakeMlflowServer().start();
    try {
      const observer = createTrackingObserver({ workspaceRoot: dir.path, env: { MLFLOW_TRACKING_URI: server.url }, http: { backoffMs: 1, maxRetries: 1 } });
      await simulateFirstRun(observer, dir.path);
      await simulateCachedRun(observer, 'run-1');
      const runs = [...server.runs.values()];
      const producer = runs.find((r) => r.tags.get('tunekit.run_id') === 'run-1' && r.info.run_name === 'corpus')!;
      const cached = runs.find((r) => r.tags.get('tunekit.run_id') === 'run-2' && r.info.run_name === 'corpus')!;
      expect(cached.tags.get('tunekit.cache.source_run_id')).toBe(producer.info.run_id);
      expect(runs).toHaveLength(8);
      const lora = runs.find((r) => r.info.run_name === 'train[strategy=lora]')!;
      expect(lora.metrics.filter((m) => m.key === 'train/loss').map((m) => m.step)).toEqual([0, 1, 2]);
      expect(server.artifacts.has(`${lora.info.experiment_id}/${lora.info.run_id}/artifacts/metrics.json`)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
