/**
 * End to end with the real engine against an MLflow REST server (the in-test fake): a run logs
 * through the API; a second run while the server is down still succeeds, is journaled, and
 * `tunekit tracking sync` delivers it afterwards.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runTrackingCommand } from '../../src/commands/tracking.ts';
import { FakeMlflowServer } from '../support/fake-mlflow-server.ts';
import { tempDir } from '../support/temp-dir.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = join(here, '..', '..', '..', 'cli', 'bin', 'tunekit.js');
let ws: ReturnType<typeof tempDir>;
let server: FakeMlflowServer;

const { MLFLOW_TRACKING_URI: _uri, TUNEKIT_HOME: _home, ...baseEnv } = process.env;
const tunekit = (...args: string[]) =>
  promisify(execFile)(process.execPath, [BIN, ...args], {
    cwd: ws.path,
    env: { ...baseEnv, MLFLOW_TRACKING_URI: server.url, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' },
    encoding: 'utf8',
  });

beforeAll(async () => {
  server = await new FakeMlflowServer().start();
  ws = tempDir('tunekit-tracking-e2e-rest-');
  cpSync(join(here, 'fixture'), ws.path, { recursive: true });
  writeFileSync(join(ws.path, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(ws.path, 'nx.json'), '{}\n');
});
afterAll(async () => {
  await server.stop();
  ws.remove();
});

const runsOf = (tunekitRunId: string) => [...server.runs.values()].filter((r) => r.tags.get('tunekit.run_id') === tunekitRunId);

describe('real pipeline runs tracked on an MLflow server', () => {
  test('online: parent + nested runs with metrics, params and artifacts through the REST API', async () => {
    const { stdout } = await tunekit('run', 'pipeline.yaml', '--json');
    const runId = JSON.parse(stdout.trim().split('\n').pop()!).runId as string;
    const runs = runsOf(runId);
    expect(runs.map((r) => r.info.run_name).sort()).toEqual([`toy-${runId}`, 'train[strategy=full]', 'train[strategy=lora]']);
    const lora = runs.find((r) => r.info.run_name === 'train[strategy=lora]')!;
    expect(lora.info.status).toBe('FINISHED');
    expect(lora.params.get('optimizer.lr')).toBe('0.0005');
    expect(server.metricHistory(lora.info.run_id, 'train/loss').map((m) => m.value)).toEqual([2, 1, 2 / 3]);
    expect(server.artifacts.has(`${lora.info.experiment_id}/${lora.info.run_id}/artifacts/metrics.json`)).toBe(true);
  });

  test('offline: the run still succeeds, its tracking is journaled, and sync delivers it once', async () => {
    server.setDown(true);
    const { stdout, stderr } = await tunekit('run', 'pipeline.yaml', '--json');
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { runId: string; status: string };
    expect(result.status).toBe('succeeded');
    expect(stderr).toContain('deliver later with `tunekit tracking sync`');
    expect(runsOf(result.runId)).toEqual([]);
    expect(readdirSync(join(ws.path, '.tunekit', 'tracking-buffer')).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1);
    server.setDown(false);
    const out: string[] = [];
    const code = await runTrackingCommand(['sync'], { workspaceRoot: ws.path, env: { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' }, stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^synced .* 0 already delivered, 0 duplicate metrics skipped$/);
    const runs = runsOf(result.runId);
    expect(runs.map((r) => [r.info.run_name, r.info.status, r.tags.get('tunekit.cache') ?? '']).sort()).toEqual([
      [`toy-${result.runId}`, 'FINISHED', ''],
      ['train[strategy=full]', 'FINISHED', 'hit'],
      ['train[strategy=lora]', 'FINISHED', 'hit'],
    ]);
    const parent = runs.find((r) => r.info.run_name === `toy-${result.runId}`)!;
    for (const r of runs.filter((x) => x !== parent)) expect(r.tags.get('mlflow.parentRunId')).toBe(parent.info.run_id);
  });
});
