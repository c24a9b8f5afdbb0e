/**
 * The on-disk format MLflow's FileStore uses (mlflow/store/tracking/file_store.py; layout
 * described in the package README), checked byte for byte.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileStoreClient } from '../../src/file-store/file-store.ts';
import { tempDir } from '../support/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
let root: string;
let store: FileStoreClient;
const read = (...parts: string[]) => fs.readFileSync(join(root, ...parts), 'utf8');

beforeEach(() => {
  dir = tempDir();
  root = join(dir.path, 'mlruns');
  store = new FileStoreClient(root);
});
afterEach(() => dir.remove());

describe('a new store', () => {
  test('has experiment 0 "Default" and a .trash folder', () => {
    const meta = read('0', 'meta.yaml');
    const created = /creation_time: (\d+)/.exec(meta)![1];
    expect(meta).toBe(
      [
        `artifact_location: ${pathToFileURL(root).href}/0`,
        `creation_time: ${created}`,
        "experiment_id: '0'",
        `last_update_time: ${created}`,
        'lifecycle_stage: active',
        'name: Default',
        '',
      ].join('\n'),
    );
    expect(fs.statSync(join(root, '.trash')).isDirectory()).toBe(true);
  });
});

describe('a run', () => {
  test('meta.yaml has MLflow run fields, sorted, status as RunStatus integer (RUNNING=1)', async () => {
    const info = await store.createRun({ experimentId: '0', runName: 'train', startTime: 1700000000123, userId: 'alice' });
    expect(info.runId).toMatch(/^[0-9a-f]{32}$/);
    const artifactUri = `${pathToFileURL(root).href}/0/${info.runId}/artifacts`;
    expect(read('0', info.runId, 'meta.yaml')).toBe(
      [
        `artifact_uri: ${artifactUri}`,
        'deleted_time: null',
        'end_time: null',
        "entry_point_name: ''",
        "experiment_id: '0'",
        'lifecycle_stage: active',
        `run_id: ${info.runId}`,
        'run_name: train',
        `run_uuid: ${info.runId}`,
        "source_name: ''",
        'source_type: 4',
        "source_version: ''",
        'start_time: 1700000000123',
        'status: 1',
        'tags: []',
        'user_id: alice',
        '',
      ].join('\n'),
    );
    for (const sub of ['metrics', 'params', 'artifacts']) expect(fs.statSync(join(root, '0', info.runId, sub)).isDirectory()).toBe(true);
    expect(read('0', info.runId, 'tags', 'mlflow.runName')).toBe('train');
  });

  test.each([
    ['FINISHED', 3],
    ['FAILED', 4],
    ['KILLED', 5],
  ] as const)('ending a run as %s writes status %i and end_time', async (status, code) => {
    const info = await store.createRun({ experimentId: '0', runName: 'r', startTime: 1000, userId: 'u' });
    await store.updateRun(info.runId, { status, endTime: 2500 });
    const meta = read('0', info.runId, 'meta.yaml');
    expect(meta).toContain(`status: ${code}\n`);
    expect(meta).toContain('end_time: 2500\n');
    expect((await store.getRun(info.runId)).info).toMatchObject({ status, endTime: 2500, startTime: 1000 });
  });

  test('metric lines are "<timestamp_ms> <value> <step>\\n", appended in order', async () => {
    const { runId } = await store.createRun({ experimentId: '0', runName: 'r', startTime: 1, userId: 'u' });
    await store.logMetric(runId, { key: 'loss', value: 0.75, timestamp: 1700000000001, step: 0 });
    await store.logBatch(runId, {
      metrics: [
        { key: 'loss', value: 0.5, timestamp: 1700000000002, step: 1 },
        { key: 'loss', value: 1e-5, timestamp: 1700000000003, step: 2 },
        { key: 'loss', value: 3, timestamp: 1700000000004, step: 3 },
      ],
    });
    expect(read('0', runId, 'metrics', 'loss')).toBe(
      '1700000000001 0.75 0\n1700000000002 0.5 1\n1700000000003 1e-05 2\n1700000000004 3.0 3\n',
    );
  });

  test('NaN and infinities are written as nan / inf / -inf', async () => {
    const { runId } = await store.createRun({ experimentId: '0', runName: 'r', startTime: 1, userId: 'u' });
    await store.logBatch(runId, {
      metrics: [
        { key: 'm', value: NaN, timestamp: 5, step: 0 },
        { key: 'm', value: Infinity, timestamp: 6, step: 1 },
        { key: 'm', value: -Infinity, timestamp: 7, step: 2 },
      ],
    });
    expect(read('0', runId, 'metrics', 'm')).toBe('5 nan 0\n6 inf 1\n7 -inf 2\n');
    const history = await store.getMetricHistory(runId, 'm');
    expect(history.map((m) => m.value)).toEqual([NaN, Infinity, -Infinity]);
  });

  test('param and tag files hold the bare value with no trailing newline; "/" nests folders', async () => {
    const { runId } = await store.createRun({ experimentId: '0', runName: 'r', startTime: 1, userId: 'u' });
    await store.logBatch(runId, {
      params: [{ key: 'optimizer.lr', value: '0.0005' }, { key: 'lora/r', value: '8' }],
      tags: [{ key: 'mlflow.parentRunId', value: 'f'.repeat(32) }, { key: 'eval/split', value: 'devel' }],
      metrics: [{ key: 'eval/f1', value: 0.5, timestamp: 9, step: 4 }],
    });
    expect(read('0', runId, 'params', 'optimizer.lr')).toBe('0.0005');
    expect(read('0', runId, 'params', 'lora', 'r')).toBe('8');
    expect(read('0', runId, 'tags', 'mlflow.parentRunId')).toBe('f'.repeat(32));
    expect(read('0', runId, 'tags', 'eval', 'split')).toBe('devel');
    expect(read('0', runId, 'metrics', 'eval', 'f1')).toBe('9 0.5 4\n');
    const run = await store.getRun(runId);
    expect(run.params).toEqual([{ key: 'lora/r', value: '8' }, { key: 'optimizer.lr', value: '0.0005' }]);
    expect(run.tags.map((t) => t.key)).toEqual(['eval/split', 'mlflow.parentRunId', 'mlflow.runName']);
  });

  test('artifacts are copied under artifacts/ (with an optional sub-path)', async () => {
    const { runId } = await store.createRun({ experimentId: '0', runName: 'r', startTime: 1, userId: 'u' });
    const file = join(dir.path, 'metrics.json');
    fs.writeFileSync(file, '{"f1":0.5}');
    await store.logArtifact(runId, file);
    await store.logArtifact(runId, file, 'reports/eval');
    expect(read('0', runId, 'artifacts', 'metrics.json')).toBe('{"f1":0.5}');
    expect(await store.listArtifacts(runId)).toEqual(['metrics.json', 'reports/eval/metrics.json']);
  });

  test('an artifact path that would leave artifacts/ is rejected', async () => {
    const { runId } = await store.createRun({ experimentId: '0', runName: 'r', startTime: 1, userId: 'u' });
    const file = join(dir.path, 'x.txt');
    fs.writeFileSync(file, 'x');
    await expect(store.logArtifact(runId, file, '../../escape')).rejects.toThrow("Invalid artifact path name: '../../escape'");
    expect(fs.existsSync(join(root, '0', 'escape'))).toBe(false);
  });
});

describe('experiments', () => {
  test('a created experiment gets a numeric id folder with meta.yaml', async () => {
    const id = await store.createExperiment('medical-ner');
    expect(id).toMatch(/^[1-9]\d*$/);
    const meta = read(id, 'meta.yaml');
    expect(meta).toContain(`artifact_location: ${pathToFileURL(root).href}/${id}\n`);
    expect(meta).toContain(`experiment_id: '${id}'\n`);
    expect(meta).toContain('name: medical-ner\n');
    expect((await store.getExperimentByName('medical-ner'))?.experimentId).toBe(id);
  });

  test('creating an experiment twice is RESOURCE_ALREADY_EXISTS', async () => {
    await store.createExperiment('x');
    await expect(store.createExperiment('x')).rejects.toThrow("RESOURCE_ALREADY_EXISTS: Experiment 'x' already exists.");
  });

  test('a store written by MLflow with int experiment ids and 2-field metric lines reads back', async () => {
    const runDir = join(root, '7', 'abc123');
    fs.mkdirSync(join(runDir, 'metrics'), { recursive: true });
    fs.writeFileSync(join(root, '7', 'meta.yaml'), 'artifact_location: /x\nexperiment_id: 7\nlifecycle_stage: active\nname: legacy\n');
    fs.writeFileSync(join(runDir, 'meta.yaml'), 'artifact_uri: /x/abc123/artifacts\nexperiment_id: 7\nrun_uuid: abc123\nstart_time: 5\nstatus: 3\nuser_id: bob\n');
    fs.writeFileSync(join(runDir, 'metrics', 'acc'), '10 0.5\n');
    const run = await store.getRun('abc123');
    expect(run.info).toMatchObject({ runId: 'abc123', experimentId: '7', status: 'FINISHED' });
    expect(run.metrics).toEqual([{ key: 'acc', value: 0.5, timestamp: 10, step: 0 }]);
  });
});
