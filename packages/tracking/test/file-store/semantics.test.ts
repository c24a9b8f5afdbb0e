import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { FileStoreClient } from '../../src/file-store/file-store.ts';
import { tempDir } from '../support/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
let store: FileStoreClient;
let runId: string;

beforeEach(async () => {
  dir = tempDir();
  store = new FileStoreClient(join(dir.path, 'mlruns'));
  runId = (await store.createRun({ experimentId: '0', runName: 'r', startTime: 1, userId: 'u' })).runId;
});
afterEach(() => dir.remove());

describe('MLflow semantics in the file store', () => {
  test('logging the same param value again is allowed', async () => {
    await store.logParam(runId, 'lr', '0.1');
    await expect(store.logParam(runId, 'lr', '0.1')).resolves.toBeUndefined();
  });

  test('changing a param is INVALID_PARAMETER_VALUE and writes nothing from that batch', async () => {
    await store.logParam(runId, 'lr', '0.1');
    await expect(
      store.logBatch(runId, { params: [{ key: 'epochs', value: '3' }, { key: 'lr', value: '0.2' }] }),
    ).rejects.toThrow("INVALID_PARAMETER_VALUE: Changing param values is not allowed. Param with key='lr' was already logged with value='0.1'");
    expect((await store.getRun(runId)).params).toEqual([{ key: 'lr', value: '0.1' }]);
  });

  test('tags overwrite', async () => {
    await store.setTag(runId, 'phase', 'train');
    await store.setTag(runId, 'phase', 'eval');
    expect((await store.getRun(runId)).tags.find((t) => t.key === 'phase')?.value).toBe('eval');
  });

  test('metrics append and the run shows the value with the highest step, then timestamp', async () => {
    await store.logBatch(runId, {
      metrics: [
        { key: 'loss', value: 0.9, timestamp: 100, step: 2 },
        { key: 'loss', value: 0.1, timestamp: 50, step: 5 },
        { key: 'loss', value: 0.3, timestamp: 200, step: 5 },
        { key: 'loss', value: 0.2, timestamp: 300, step: 1 },
      ],
    });
    expect(await store.getMetricHistory(runId, 'loss')).toHaveLength(4);
    expect((await store.getRun(runId)).metrics).toEqual([{ key: 'loss', value: 0.3, timestamp: 200, step: 5 }]);
  });

  test.each([
    ['loss!', 'Names may only contain alphanumerics'],
    ['a//b', "This name would resolve to 'a/b'"],
    ['../up', "This name would resolve to '../up'"],
    ['/abs', "This name would resolve to '/abs'"],
    ['trailing/', "This name would resolve to 'trailing'"],
    ['.', "This name would resolve to '.'"],
    ['', 'A key name must be provided.'],
  ])('metric key %p is rejected (%s)', async (key, message) => {
    await expect(store.logMetric(runId, { key, value: 1, timestamp: 1, step: 0 })).rejects.toThrow(message);
  });

  test('keys with spaces, dots, dashes and slashes are accepted', async () => {
    await store.logMetric(runId, { key: 'eval/entity f1-score.micro', value: 1, timestamp: 1, step: 0 });
    expect((await store.getRun(runId)).metrics[0]!.key).toBe('eval/entity f1-score.micro');
  });

  test('a batch over the limits is rejected like MLflow does (101 params)', async () => {
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    await expect(store.logBatch(runId, { params })).rejects.toThrow(
      'A batch logging request can contain at most 100 params. Got 101 params.',
    );
  });

  test('a metric with a non-integer step or negative timestamp is rejected', async () => {
    await expect(store.logMetric(runId, { key: 'm', value: 1, timestamp: 1, step: 0.5 })).rejects.toThrow('Step must be a valid long');
    await expect(store.logMetric(runId, { key: 'm', value: 1, timestamp: -1, step: 0 })).rejects.toThrow('Timestamp must be a nonnegative long');
  });

  test('what the store remembers of its own meta.yaml writes equals what a fresh store parses', async () => {
    await store.updateRun(runId, { status: 'FINISHED', endTime: 7, runName: 'renamed' });
    const other = (await store.createRun({ experimentId: '0', runName: 'still running', startTime: 2, userId: 'u' })).runId;
    const fresh = new FileStoreClient(join(dir.path, 'mlruns'));
    for (const id of [runId, other]) expect((await store.getRun(id)).info).toEqual((await fresh.getRun(id)).info);
    expect((await store.getRun(runId)).info).toMatchObject({ status: 'FINISHED', endTime: 7, runName: 'renamed' });
  });

  test('an unknown run is RESOURCE_DOES_NOT_EXIST', async () => {
    await expect(store.getRun('0123456789abcdef0123456789abcdef')).rejects.toThrow("RESOURCE_DOES_NOT_EXIST: Run '0123456789abcdef0123456789abcdef' not found");
  });

  test('search filters by tag and pages newest first', async () => {
    const other = await store.createRun({ experimentId: '0', runName: 'later', startTime: 5, userId: 'u', tags: [{ key: 'k', value: 'v' }] });
    const tagged = await store.searchRuns({ experimentIds: ['0'], filter: "tags.k = 'v'" });
    expect(tagged.runs.map((r) => r.info.runId)).toEqual([other.runId]);
    const page1 = await store.searchRuns({ experimentIds: ['0'], maxResults: 1 });
    expect(page1.runs[0]!.info.runId).toBe(other.runId);
    const page2 = await store.searchRuns({ experimentIds: ['0'], maxResults: 1, pageToken: page1.nextPageToken });
    expect(page2.runs[0]!.info.runId).toBe(runId);
    expect(page2.nextPageToken).toBeUndefined();
  });

  test('a malformed committed metric line is an error naming file:line', async () => {
    const file = join(dir.path, 'mlruns', '0', runId, 'metrics', 'bad');
    fs.writeFileSync(file, '1 0.5 0\nnot a metric\n');
    await expect(store.getMetricHistory(runId, 'bad')).rejects.toThrow(`${file}:2: malformed metric line 'not a metric'`);
  });
});
