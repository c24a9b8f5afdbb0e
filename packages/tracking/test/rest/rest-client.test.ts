import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { TrackingError, TrackingUnavailableError } from '../../src/client/errors.ts';
import { authorizationHeader } from '../../src/rest/auth.ts';
import { splitBatch } from '../../src/rest/split-batch.ts';
import { FakeMlflowServer } from '../support/fake-mlflow-server.ts';
import { fastRestClient } from '../support/rest.ts';
import { tempDir } from '../support/temp-dir.ts';

let server: FakeMlflowServer;
beforeEach(async () => {
  server = await new FakeMlflowServer().start();
});
afterEach(() => server.stop());

async function newRun(client: ReturnType<typeof fastRestClient>['client']) {
  const experimentId = await client.createExperiment('exp');
  return client.createRun({ experimentId, runName: 'train', startTime: 1000, tags: [{ key: 'a', value: 'b' }] });
}

describe('REST endpoints and payloads', () => {
  test('experiments get-by-name returns undefined for RESOURCE_DOES_NOT_EXIST, then the created one', async () => {
    const { client } = fastRestClient(server);
    expect(await client.getExperimentByName('exp')).toBeUndefined();
    const id = await client.createExperiment('exp');
    expect(await client.getExperimentByName('exp')).toMatchObject({ experimentId: id, name: 'exp', lifecycleStage: 'active' });
    expect(server.calls('experiments/get-by-name')[0]!.method).toBe('GET');
    expect(server.calls('experiments/create')[0]!.body).toEqual({ name: 'exp' });
  });

  test('runs/create sends experiment_id, run_name, start_time and tags; runs/get reads them back', async () => {
    const { client } = fastRestClient(server);
    const info = await newRun(client);
    expect(server.calls('runs/create')[0]!.body).toEqual({ experiment_id: info.experimentId, run_name: 'train', start_time: 1000, tags: [{ key: 'a', value: 'b' }] });
    expect(info).toMatchObject({ runName: 'train', status: 'RUNNING', startTime: 1000 });
    expect(info.artifactUri).toBe(`mlflow-artifacts:/${info.experimentId}/${info.runId}/artifacts`);
    const run = await client.getRun(info.runId);
    expect(run.tags).toEqual([{ key: 'a', value: 'b' }, { key: 'mlflow.runName', value: 'train' }]);
  });

  test('runs/update sends the status name and end_time', async () => {
    const { client } = fastRestClient(server);
    const { runId } = await newRun(client);
    await client.updateRun(runId, { status: 'FAILED', endTime: 2000 });
    expect(server.calls('runs/update')[0]!.body).toEqual({ run_id: runId, run_uuid: runId, status: 'FAILED', end_time: 2000 });
    expect((await client.getRun(runId)).info).toMatchObject({ status: 'FAILED', endTime: 2000 });
  });

  test('log-metric, log-parameter and set-tag hit their endpoints; get-history returns every value', async () => {
    const { client } = fastRestClient(server);
    const { runId } = await newRun(client);
    await client.logMetric(runId, { key: 'loss', value: 0.5, timestamp: 10, step: 0 });
    await client.logMetric(runId, { key: 'loss', value: 0.25, timestamp: 11, step: 1 });
    await client.logParam(runId, 'lr', '0.1');
    await client.setTag(runId, 'k', 'v');
    expect(server.calls('runs/log-metric')[1]!.body).toEqual({ run_id: runId, run_uuid: runId, key: 'loss', value: 0.25, timestamp: 11, step: 1 });
    expect(server.calls('runs/log-parameter')[0]!.body).toEqual({ run_id: runId, run_uuid: runId, key: 'lr', value: '0.1' });
    expect(server.calls('runs/set-tag')[0]!.body).toEqual({ run_id: runId, run_uuid: runId, key: 'k', value: 'v' });
    expect(await client.getMetricHistory(runId, 'loss')).toEqual([
      { key: 'loss', value: 0.5, timestamp: 10, step: 0 },
      { key: 'loss', value: 0.25, timestamp: 11, step: 1 },
    ]);
  });

  test('NaN and ±Infinity travel as "NaN", "Infinity", "-Infinity" and read back as numbers', async () => {
    const { client } = fastRestClient(server);
    const { runId } = await newRun(client);
    await client.logBatch(runId, {
      metrics: [
        { key: 'a', value: NaN, timestamp: 1, step: 0 },
        { key: 'b', value: Infinity, timestamp: 1, step: 0 },
        { key: 'c', value: -Infinity, timestamp: 1, step: 0 },
      ],
    });
    expect(server.calls('runs/log-batch')[0]!.body.metrics.map((m: { value: unknown }) => m.value)).toEqual(['NaN', 'Infinity', '-Infinity']);
    const values = (await client.getRun(runId)).metrics.map((m) => m.value);
    expect(values).toEqual([NaN, Infinity, -Infinity]);
  });

  test('search sends the filter and follows next_page_token', async () => {
    const { client } = fastRestClient(server);
    const experimentId = await client.createExperiment('exp');
    for (let i = 0; i < 3; i++) await client.createRun({ experimentId, runName: `r${i}`, startTime: i, tags: [{ key: 'tunekit.stage_id', value: 'train' }] });
    const first = await client.searchRuns({ experimentIds: [experimentId], filter: "tags.`tunekit.stage_id` = 'train'", maxResults: 2 });
    expect(first.runs).toHaveLength(2);
    const second = await client.searchRuns({ experimentIds: [experimentId], filter: "tags.`tunekit.stage_id` = 'train'", maxResults: 2, pageToken: first.nextPageToken });
    expect(second.runs).toHaveLength(1);
    expect(server.calls('runs/search')[0]!.body).toEqual({
      experiment_ids: [experimentId],
      filter: "tags.`tunekit.stage_id` = 'train'",
      run_view_type: 'ACTIVE_ONLY',
      max_results: 2,
    });
  });
});

describe('log-batch limits', () => {
  test('2,500 metrics, 250 params and 150 tags go out in requests of at most 1000 metrics / 100 params / 100 tags / 1000 in total', async () => {
    const { client } = fastRestClient(server);
    const { runId } = await newRun(client);
    const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i }));
    const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const tags = Array.from({ length: 150 }, (_, i) => ({ key: `t${i}`, value: String(i) }));
    await client.logBatch(runId, { metrics, params, tags });
    const sizes = server.calls('runs/log-batch').map((c) => [c.body.metrics.length, c.body.params.length, c.body.tags.length]);
    // [metrics, params, tags] per request, filled greedily in order params → tags → metrics
    expect(sizes).toEqual([
      [0, 100, 0],
      [0, 100, 0],
      [0, 50, 100],
      [950, 0, 50],
      [1000, 0, 0],
      [550, 0, 0],
    ]);
    for (const [m, p, t] of sizes) {
      expect(m).toBeLessThanOrEqual(1000);
      expect(p).toBeLessThanOrEqual(100);
      expect(t).toBeLessThanOrEqual(100);
      expect(m! + p! + t!).toBeLessThanOrEqual(1000);
    }
    expect(sizes.reduce((a, s) => [a[0]! + s[0]!, a[1]! + s[1]!, a[2]! + s[2]!], [0, 0, 0])).toEqual([2500, 250, 150]);
    expect(server.metricHistory(runId, 'm').map((m) => m.step)).toEqual(metrics.map((m) => m.step));
  });

  test('exactly 1000 metrics fit one request; 1001 need two', () => {
    const metric = (i: number) => ({ key: 'm', value: i, timestamp: 1, step: i });
    expect(splitBatch({ metrics: Array.from({ length: 1000 }, (_, i) => metric(i)) }).map((c) => c.metrics.length)).toEqual([1000]);
    expect(splitBatch({ metrics: Array.from({ length: 1001 }, (_, i) => metric(i)) }).map((c) => c.metrics.length)).toEqual([1000, 1]);
  });

  test('100 params fit one request; 101 need two', () => {
    const param = (i: number) => ({ key: `p${i}`, value: 'v' });
    expect(splitBatch({ params: Array.from({ length: 100 }, (_, i) => param(i)) }).map((c) => c.params.length)).toEqual([100]);
    expect(splitBatch({ params: Array.from({ length: 101 }, (_, i) => param(i)) }).map((c) => c.params.length)).toEqual([100, 1]);
  });

  test('the fake server (like MLflow) rejects an unsplit batch of 1001 metrics', async () => {
    const { client } = fastRestClient(server);
    const { runId } = await newRun(client);
    const res = await fetch(`${server.url}/api/2.0/mlflow/runs/log-batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ run_id: runId, metrics: Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: 1, timestamp: 1, step: i })) }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across multiple requests and try again.',
    });
  });
});

describe('errors and retries', () => {
  test('a 4xx answer is a TrackingError showing error_code, message and HTTP status (not retried)', async () => {
    const { client } = fastRestClient(server);
    const { runId } = await newRun(client);
    await client.logParam(runId, 'lr', '0.1');
    const error = await client.logParam(runId, 'lr', '0.2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackingError);
    expect((error as TrackingError).errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect((error as TrackingError).httpStatus).toBe(400);
    expect((error as Error).message).toBe(
      `INVALID_PARAMETER_VALUE (HTTP 400): Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='${runId}'. Attempted logging new value '0.2'. [POST /api/2.0/mlflow/runs/log-parameter]`,
    );
    expect(server.calls('runs/log-parameter')).toHaveLength(2);
  });

  test('an unknown run is RESOURCE_DOES_NOT_EXIST with HTTP 404', async () => {
    const { client } = fastRestClient(server);
    await expect(client.getRun('f'.repeat(32))).rejects.toThrow(`RESOURCE_DOES_NOT_EXIST (HTTP 404): Run '${'f'.repeat(32)}' not found`);
  });

  test('429 is retried with exponential backoff and then succeeds', async () => {
    const { client, sleeps } = fastRestClient(server, { maxRetries: 5 });
    server.inject(3, 429);
    const id = await client.createExperiment('exp');
    expect(id).toBe('1');
    expect(sleeps).toEqual([1, 2, 4]);
    expect(server.calls('experiments/create')).toHaveLength(4);
    expect([...server.experiments.values()].filter((e) => e.name === 'exp')).toHaveLength(1);
  });

  test("a 429's Retry-After (seconds) is honoured up to the backoff cap", async () => {
    const { client, sleeps } = fastRestClient(server);
    server.inject(1, 429, { 'retry-after': '7' });
    await client.createExperiment('exp');
    expect(sleeps).toEqual([20]);
  });

  test('503 and dropped connections are retried', async () => {
    const { client } = fastRestClient(server);
    server.inject(1, 503);
    server.inject(1, 'drop');
    await expect(client.createExperiment('exp')).resolves.toBe('1');
  });

  test('retries are bounded: after maxRetries + 1 attempts the server counts as unavailable', async () => {
    const { client, sleeps } = fastRestClient(server, { maxRetries: 2 });
    server.inject(3, 503);
    const error = await client.createExperiment('exp').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackingUnavailableError);
    expect((error as Error).message).toMatch(/failed 3 times \(last: HTTP 503/);
    expect(sleeps).toEqual([1, 2]);
  });
});

describe('auth', () => {
  test('MLFLOW_TRACKING_TOKEN becomes a Bearer header', async () => {
    server.requiredAuthorization = 'Bearer s3cret';
    const { client } = fastRestClient(server, { authorization: authorizationHeader({ MLFLOW_TRACKING_TOKEN: 's3cret' }) });
    await expect(client.createExperiment('exp')).resolves.toBe('1');
  });

  test('MLFLOW_TRACKING_USERNAME/PASSWORD become a Basic header', async () => {
    expect(authorizationHeader({ MLFLOW_TRACKING_USERNAME: 'ann', MLFLOW_TRACKING_PASSWORD: 'pw' })).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
    server.requiredAuthorization = authorizationHeader({ MLFLOW_TRACKING_USERNAME: 'ann', MLFLOW_TRACKING_PASSWORD: 'pw' });
    const { client } = fastRestClient(server, { authorization: server.requiredAuthorization });
    await expect(client.createExperiment('exp')).resolves.toBe('1');
  });

  test('missing credentials surface the 401 error code', async () => {
    server.requiredAuthorization = 'Bearer s3cret';
    const { client } = fastRestClient(server);
    await expect(client.createExperiment('exp')).rejects.toThrow('UNAUTHENTICATED (HTTP 401): You are not authenticated.');
  });
});

describe('artifacts through the tracking server proxy', () => {
  test('a file is PUT to /api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts/<path> and listed back', async () => {
    const dir = tempDir();
    try {
      const { client } = fastRestClient(server);
      const info = await newRun(client);
      const file = join(dir.path, 'metrics.json');
      fs.writeFileSync(file, '{"f1":0.5}');
      await client.logArtifact(info.runId, file);
      await client.logArtifact(info.runId, file, 'reports');
      const puts = server.requests.filter((r) => r.method === 'PUT').map((r) => r.path);
      expect(puts).toEqual([
        `/api/2.0/mlflow-artifacts/artifacts/${info.experimentId}/${info.runId}/artifacts/metrics.json`,
        `/api/2.0/mlflow-artifacts/artifacts/${info.experimentId}/${info.runId}/artifacts/reports/metrics.json`,
      ]);
      expect(server.artifacts.get(`${info.experimentId}/${info.runId}/artifacts/metrics.json`)?.toString()).toBe('{"f1":0.5}');
      expect(await client.listArtifacts(info.runId)).toEqual(['metrics.json', 'reports/metrics.json']);
    } finally {
      dir.remove();
    }
  });
});
