import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { TrackingUnavailableError } from '../../src/client/errors.ts';
import { BufferedRestClient, CLIENT_RUN_ID_TAG } from '../../src/offline/buffered-client.ts';
import { listJournals, readJournal } from '../../src/offline/journal.ts';
import { syncAll } from '../../src/offline/sync.ts';
import { FakeMlflowServer } from '../support/fake-mlflow-server.ts';
import { fastRestClient } from '../support/rest.ts';
import { tempDir } from '../support/temp-dir.ts';

let server: FakeMlflowServer;
let dir: ReturnType<typeof tempDir>;
let bufferDir: string;

beforeEach(async () => {
  server = await new FakeMlflowServer().start();
  dir = tempDir();
  bufferDir = join(dir.path, 'buffer');
});
afterEach(async () => {
  await server.stop();
  dir.remove();
});

const buffered = () => new BufferedRestClient(fastRestClient(server, { maxRetries: 1 }).client, { bufferDir });
const sync = () => syncAll(bufferDir, () => fastRestClient(server, { maxRetries: 1 }).client);
const metric = (step: number) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1000 + step, step });

/** A run that loses the server after 3 steps and keeps logging: 7 more steps, a new run, an artifact. */
async function runThatGoesOffline() {
  const client = buffered();
  const experimentId = await client.createExperiment('exp');
  const { runId } = await client.createRun({ experimentId, runName: 'train', startTime: 1 });
  for (let step = 0; step < 3; step++) await client.logMetric(runId, metric(step));
  server.setDown(true);
  for (let step = 3; step < 10; step++) await client.logMetric(runId, metric(step));
  await client.logParam(runId, 'lr', '0.1');
  await client.setTag(runId, 'phase', 'done');
  await client.updateRun(runId, { status: 'FINISHED', endTime: 99 });
  const late = await client.createRun({ experimentId, runName: 'eval', startTime: 50 });
  await client.logBatch(late.runId, { metrics: [{ key: 'f1', value: 0.5, timestamp: 60, step: 0 }], params: [{ key: 'split', value: 'test' }] });
  const file = join(dir.path, 'report.json');
  fs.writeFileSync(file, '{"ok":true}');
  await client.logArtifact(runId, file);
  fs.rmSync(file);
  await client.close();
  server.setDown(false);
  return { client, runId, lateLocalId: late.runId, experimentId };
}

describe('offline buffering', () => {
  test('once the server is unreachable, every later write is journaled on disk and nothing reaches the server', async () => {
    const { client, runId, lateLocalId } = await runThatGoesOffline();
    expect(client.offline).toBe(true);
    expect(lateLocalId).toMatch(/^local-[0-9a-f]{32}$/);
    expect(server.metricHistory(runId, 'loss').map((m) => m.step)).toEqual([0, 1, 2]);
    const [journal] = listJournals(bufferDir);
    const state = readJournal(journal!);
    expect(state.uri).toBe(server.url);
    expect(state.ops.map((op) => op.type)).toEqual([
      ...Array(7).fill('logBatch'), 'logBatch', 'logBatch', 'updateRun', 'createRun', 'logBatch', 'logArtifact',
    ]);
  });

  test('reads while offline fail with TrackingUnavailableError', async () => {
    const client = buffered();
    server.setDown(true);
    await expect(client.searchExperiments()).rejects.toBeInstanceOf(TrackingUnavailableError);
  });

  test('a 4xx error is not buffered: it is thrown, and the client stays online', async () => {
    const client = buffered();
    const experimentId = await client.createExperiment('exp');
    const { runId } = await client.createRun({ experimentId, runName: 'r', startTime: 1 });
    await client.logParam(runId, 'lr', '0.1');
    await expect(client.logParam(runId, 'lr', '0.2')).rejects.toThrow('INVALID_PARAMETER_VALUE');
    expect(client.offline).toBe(false);
    expect(listJournals(bufferDir)).toEqual([]);
  });
});

describe('tracking sync', () => {
  test('delivers everything once, maps the offline run to a server run, and removes the journal', async () => {
    const { runId, lateLocalId, experimentId } = await runThatGoesOffline();
    const [result] = await sync();
    expect(result).toMatchObject({ status: 'done', delivered: 13, alreadyDelivered: 0, duplicatesSkipped: 0 });
    expect(server.metricHistory(runId, 'loss').map((m) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const run = server.runs.get(runId)!;
    expect(run.info.status).toBe('FINISHED');
    expect(run.params.get('lr')).toBe('0.1');
    expect(run.tags.get('phase')).toBe('done');
    const late = [...server.runs.values()].find((r) => r.tags.get(CLIENT_RUN_ID_TAG) === lateLocalId)!;
    expect(late.info).toMatchObject({ run_name: 'eval', experiment_id: experimentId, start_time: 50 });
    expect(late.params.get('split')).toBe('test');
    expect(server.artifacts.get(`${experimentId}/${runId}/artifacts/report.json`)?.toString()).toBe('{"ok":true}');
    expect(fs.readdirSync(bufferDir)).toEqual([]);
  });

  test('replaying a journal whose acks were lost (crash after delivery) logs nothing twice', async () => {
    const { runId, lateLocalId } = await runThatGoesOffline();
    const [journal] = listJournals(bufferDir);
    const copy = fs.readFileSync(journal!, 'utf8');
    const filesDir = journal!.replace(/\.jsonl$/, '.files');
    fs.cpSync(filesDir, `${filesDir}.bak`, { recursive: true });
    await sync();
    fs.writeFileSync(journal!, copy);
    fs.cpSync(`${filesDir}.bak`, filesDir, { recursive: true });
    fs.rmSync(`${filesDir}.bak`, { recursive: true });
    const [replay] = await sync();
    expect(replay).toMatchObject({ status: 'done', delivered: 13, duplicatesSkipped: 8 });
    expect(server.metricHistory(runId, 'loss')).toHaveLength(10);
    const lateRuns = [...server.runs.values()].filter((r) => r.tags.get(CLIENT_RUN_ID_TAG) === lateLocalId);
    expect(lateRuns).toHaveLength(1);
    expect(server.metricHistory(lateRuns[0]!.info.run_id, 'f1')).toHaveLength(1);
  });

  test('a sync cut short by the server going away resumes where it stopped', async () => {
    const { runId } = await runThatGoesOffline();
    server.downAfter(6);
    const [first] = await sync();
    expect(first).toMatchObject({ status: 'failed' });
    expect(first!.delivered).toBeGreaterThan(0);
    expect(first!.error).toMatch(/^MLflow server unreachable/);
    server.setDown(false);
    const [second] = await sync();
    expect(second).toMatchObject({ status: 'done', alreadyDelivered: first!.delivered, delivered: 13 - first!.delivered });
    expect(server.metricHistory(runId, 'loss').map((m) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('a run created offline under an offline parent gets the parent\'s server id in mlflow.parentRunId', async () => {
    const client = buffered();
    server.setDown(true);
    const experimentId = await client.createExperiment('exp');
    const parent = await client.createRun({ experimentId, runName: 'pipeline', startTime: 1 });
    const child = await client.createRun({ experimentId, runName: 'stage', startTime: 2, tags: [{ key: 'mlflow.parentRunId', value: parent.runId }] });
    await client.setTag(child.runId, 'tunekit.cache.source_run_id', parent.runId);
    await client.close();
    server.setDown(false);
    await sync();
    const byName = (name: string) => [...server.runs.values()].find((r) => r.info.run_name === name)!;
    expect(byName('stage').tags.get('mlflow.parentRunId')).toBe(byName('pipeline').info.run_id);
    expect(byName('stage').tags.get('tunekit.cache.source_run_id')).toBe(byName('pipeline').info.run_id);
  });

  test('a journal still being written by a live process is left alone', async () => {
    await runThatGoesOffline();
    const [journal] = listJournals(bufferDir);
    fs.writeFileSync(`${journal}.lock`, String(process.ppid));
    const [result] = await sync();
    expect(result!.status).toBe('in-use');
    expect(fs.existsSync(journal!)).toBe(true);
  });
});
