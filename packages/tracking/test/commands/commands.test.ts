import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { FileStoreClient } from '../../src/file-store/file-store.ts';
import { createTrackingObserver } from '../../src/observer/tracking-observer.ts';
import { runCompareCommand } from '../../src/commands/compare.ts';
import { runTrackingCommand } from '../../src/commands/tracking.ts';
import type { CommandIO } from '../../src/commands/io.ts';
import { FakeMlflowServer } from '../support/fake-mlflow-server.ts';
import { simulateCachedRun, simulateFirstRun } from '../support/pipeline-events.ts';
import { tempDir } from '../support/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

function captureIO(env: NodeJS.ProcessEnv = {}): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { workspaceRoot: dir.path, env, stdout: (t) => out.push(t), stderr: (t) => err.push(t), out, err };
}

async function populate(env: NodeJS.ProcessEnv = {}): Promise<void> {
  const observer = createTrackingObserver({ workspaceRoot: dir.path, env, http: { backoffMs: 1, maxRetries: 1 } });
  await simulateFirstRun(observer, dir.path);
  await simulateCachedRun(observer, 'run-1');
}

describe('tunekit tracking runs', () => {
  test('lists each pipeline run, newest first, followed by its stage runs with final metrics', async () => {
    await populate();
    const io = captureIO();
    expect(await runTrackingCommand(['runs', '--experiment', 'medical-ner'], io)).toBe(0);
    const lines = io.out.join('\n').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Experiment medical-ner \(id \d+\) at file:\/\/.*\/mlruns$/);
    expect(lines[1]).toMatch(/^RUN\s+MLFLOW RUN ID\s+STATUS\s+CACHE\s+TIME\s+FINAL METRICS$/);
    const names = lines.slice(3).map((l) => l.split(/\s{2,}/)[0]);
    expect(names).toEqual([
      'medical-ner-run-2',
      '└─ corpus',
      'medical-ner-run-1',
      '├─ corpus',
      '├─ train[strategy=full]',
      '├─ train[strategy=lora]',
      '├─ evaluate',
      '└─ report',
    ]);
    const lora = lines.find((l) => l.startsWith('├─ train[strategy=lora]'))!;
    expect(lora).toMatch(/FINISHED\s+miss\s+3\.0s\s+eval\/f1=0\.78 train\/loss=0\.6667$/);
    expect(lines.find((l) => l.startsWith('└─ corpus'))).toMatch(/FINISHED\s+hit\s+0\.0s$/);
    expect(lines.find((l) => l.startsWith('├─ evaluate'))).toMatch(/FAILED/);
  });

  test('an unknown experiment is a usage error', async () => {
    await populate();
    const io = captureIO();
    expect(await runTrackingCommand(['runs', '--experiment', 'nope'], io)).toBe(2);
    expect(io.err[0]).toMatch(/^no experiment named 'nope' at file:/);
  });

  test('reads the REST backend through the same client', async () => {
    const server = await new FakeMlflowServer().start();
    try {
      const env = { MLFLOW_TRACKING_URI: server.url };
      await populate(env);
      const io = captureIO(env);
      expect(await runTrackingCommand(['runs', '--experiment', 'medical-ner'], io)).toBe(0);
      expect(io.out.join('\n')).toContain('├─ train[strategy=full]');
      expect(io.out.join('\n')).toMatch(/train\[strategy=full\].*eval\/f1=0\.81 train\/loss=0\.3333/);
    } finally {
      await server.stop();
    }
  });
});

describe('tunekit compare', () => {
  test('shows two strategy runs side by side, marking rows that differ', async () => {
    await populate();
    const io = captureIO();
    expect(await runCompareCommand(['train[strategy=full]', 'train[strategy=lora]'], io)).toBe(0);
    const text = io.out.join('\n');
    const rows = text.split('\n').map((l) => l.trimEnd());
    expect(rows[0]).toMatch(/^PARAM\s+train\[strategy=full\] \([0-9a-f]{8}\)\s+train\[strategy=lora\] \([0-9a-f]{8}\)$/);
    expect(rows).toContainEqual(expect.stringMatching(/^  optimizer\.lr\s+0\.0005\s+0\.0005$/));
    expect(rows).toContainEqual(expect.stringMatching(/^\* strategy\s+full\s+lora$/));
    expect(rows).toContainEqual(expect.stringMatching(/^\* eval\/f1\s+0\.81\s+0\.78$/));
    expect(rows).toContainEqual(expect.stringMatching(/^\* train\/loss\s+0\.333333\s+0\.666667$/));
  });

  test('reads the REST backend through the same client', async () => {
    const server = await new FakeMlflowServer().start();
    try {
      const env = { MLFLOW_TRACKING_URI: server.url };
      await populate(env);
      const io = captureIO(env);
      expect(await runCompareCommand(['train[strategy=full]', 'train[strategy=lora]'], io)).toBe(0);
      const rows = io.out.join('\n').split('\n').map((l) => l.trimEnd());
      expect(rows[0]).toMatch(/^PARAM\s+train\[strategy=full\] \([0-9a-f]{8}\)\s+train\[strategy=lora\] \([0-9a-f]{8}\)$/);
      expect(rows).toContainEqual(expect.stringMatching(/^\* strategy\s+full\s+lora$/));
      expect(rows).toContainEqual(expect.stringMatching(/^\* eval\/f1\s+0\.81\s+0\.78$/));
      expect(server.calls('runs/search').length).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });

  test('accepts MLflow run ids and TuneKit run ids (the pipeline run)', async () => {
    await populate();
    const client = new FileStoreClient(join(dir.path, 'mlruns'));
    const experiment = await client.getExperimentByName('medical-ner');
    const lora = (await client.searchRuns({ experimentIds: [experiment!.experimentId], filter: "attributes.run_name = 'train[strategy=lora]'" })).runs[0]!;
    const io = captureIO();
    expect(await runCompareCommand([lora.info.runId, 'run-1'], io)).toBe(0);
    expect(io.out[0]).toMatch(/train\[strategy=lora\] \([0-9a-f]{8}\)\s+medical-ner-run-1/);
    expect(io.out[0]).toMatch(/\* epochs\s+-\s+2/);
  });

  test('an unknown run is a usage error naming it', async () => {
    await populate();
    const io = captureIO();
    expect(await runCompareCommand(['train[strategy=full]', 'nope'], io)).toBe(2);
    expect(io.err[0]).toBe("tunekit compare: RESOURCE_DOES_NOT_EXIST: no run matches 'nope' (not a run id, run name or TuneKit run id)");
  });

  test('fewer than two runs is a usage error', async () => {
    const io = captureIO();
    expect(await runCompareCommand(['one'], io)).toBe(2);
    expect(io.err[0]).toMatch(/^tunekit compare needs at least two runs/);
  });
});

describe('tunekit tracking sync', () => {
  test('with nothing buffered it says so and exits 0', async () => {
    const io = captureIO();
    expect(await runTrackingCommand(['sync'], io)).toBe(0);
    expect(io.out).toEqual([`nothing to sync in ${join(dir.path, '.tunekit', 'tracking-buffer')}`]);
  });

  test('delivers what a run buffered while the server was down', async () => {
    const server = await new FakeMlflowServer().start();
    try {
      const env = { MLFLOW_TRACKING_URI: server.url };
      const notices: string[] = [];
      const observer = createTrackingObserver({ workspaceRoot: dir.path, env, http: { backoffMs: 1, maxRetries: 1 }, onError: (e, ctx) => notices.push(`${ctx}: ${e.message}`) });
      await observer.runStarted!({ runId: 'r', pipelineName: 'p', experiment: 'p', pipelineFile: '/p.yaml', params: { a: 1 }, startedAt: 1 });
      await observer.stageStarted!({ runId: 'r', stageId: 'train', uses: 't/t', params: {}, cacheKey: 'k', startedAt: 2 });
      server.setDown(true);
      for (let step = 0; step < 5; step++) await observer.stageMetric!({ runId: 'r', stageId: 'train', key: 'loss', value: step, step, timestamp: 10 + step });
      await observer.stageFinished!({ runId: 'r', stageId: 'train', uses: 't/t', status: 'ran', seconds: 1, finishedAt: 20 });
      await observer.runFinished!({ runId: 'r', status: 'succeeded', finishedAt: 30 });
      server.setDown(false);
      expect(notices).toEqual([expect.stringMatching(/^tracking server offline: MLflow server unreachable: .* buffering to .*\.jsonl, deliver later with `tunekit tracking sync`$/)]);
      const train = [...server.runs.values()].find((x) => x.info.run_name === 'train')!;
      expect(train.metrics).toEqual([]);
      const io = captureIO(env);
      expect(await runTrackingCommand(['sync'], io)).toBe(0);
      expect(io.out[0]).toMatch(/^synced .*\.jsonl → http:\/\/127\.0\.0\.1:\d+: 4 delivered, 0 already delivered, 0 duplicate metrics skipped$/);
      expect(train.metrics.map((m) => m.value)).toEqual([0, 1, 2, 3, 4]);
      expect(train.info.status).toBe('FINISHED');
      expect([...server.runs.values()].find((x) => x.info.run_name === 'p-r')!.info.status).toBe('FINISHED');
    } finally {
      await server.stop();
    }
  });
});

describe('an unreachable server (issue 18, finding 7)', () => {
  /** A loopback port nothing listens on: bind an ephemeral port, then close it. */
  async function closedPort(): Promise<number> {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }
  const noRetries = { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' };

  test('tracking runs --experiment X says "server unreachable: <url>: <error>", exit 2, not "no experiment named X"', async () => {
    const uri = `http://127.0.0.1:${await closedPort()}`;
    const io = captureIO(noRetries);
    expect(await runTrackingCommand(['runs', '--experiment', 'medical-ner', '--uri', uri], io)).toBe(2);
    expect(io.out).toEqual([]);
    expect(io.err.join('\n')).toMatch(new RegExp(`^server unreachable: http://127\\.0\\.0\\.1:\\d+: network error: [^\\n]*ECONNREFUSED[^\\n]*$`));
    expect(io.err.join('\n')).toContain(uri);
  });

  test('tracking runs without --experiment says the same (not "no runs")', async () => {
    const uri = `http://127.0.0.1:${await closedPort()}`;
    const io = captureIO({ ...noRetries, MLFLOW_TRACKING_URI: uri });
    expect(await runTrackingCommand(['runs'], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(/^server unreachable: http:\/\/127\.0\.0\.1:\d+: network error: .*ECONNREFUSED/);
  });

  test('compare --experiment X and compare without it say "server unreachable", exit 2', async () => {
    const uri = `http://127.0.0.1:${await closedPort()}`;
    for (const args of [['a', 'b', '--experiment', 'medical-ner', '--uri', uri], ['a', 'b', '--uri', uri]]) {
      const io = captureIO(noRetries);
      expect(await runCompareCommand(args, io)).toBe(2);
      expect(io.err.join('\n')).toMatch(/^server unreachable: http:\/\/127\.0\.0\.1:\d+: network error: .*ECONNREFUSED/);
    }
  });

  test('an unsupported tracking URI is a one-line usage error', async () => {
    const io = captureIO();
    expect(await runTrackingCommand(['runs', '--uri', 'ftp://example.org/mlruns'], io)).toBe(2);
    expect(io.err).toEqual([expect.stringMatching(/^tunekit tracking runs: tracking URI 'ftp:\/\/example\.org\/mlruns' is not supported/)]);
  });
});
