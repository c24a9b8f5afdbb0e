/**
 * Acceptance, end to end with the real engine: `tunekit run` on a two-strategy pipeline (twice,
 * the second fully cached), then `tunekit tracking runs` lists the parent run and each stage's
 * nested run with final metrics, and `tunekit compare` shows the two strategy runs side by side.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCompareCommand } from '../../src/commands/compare.ts';
import { runTrackingCommand } from '../../src/commands/tracking.ts';
import type { CommandIO } from '../../src/commands/io.ts';
import { FileStoreClient } from '../../src/file-store/file-store.ts';
import { searchAllRuns, tagValue } from '../../src/client/types.ts';
import { tempDir } from '../support/temp-dir.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = join(here, '..', '..', '..', 'cli', 'bin', 'tunekit.js');
let ws: ReturnType<typeof tempDir>;

function io(): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { workspaceRoot: ws.path, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t), out, err };
}

/** The workspace's own mlruns/ and .tunekit/, whatever the calling shell has set. */
const { MLFLOW_TRACKING_URI: _uri, TUNEKIT_HOME: _home, ...env } = process.env;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: ws.path, encoding: 'utf8' }).trim();
const tunekit = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { cwd: ws.path, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  ws = tempDir('tunekit-tracking-e2e-');
  cpSync(join(here, 'fixture'), ws.path, { recursive: true });
  writeFileSync(join(ws.path, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(ws.path, 'nx.json'), '{}\n');
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'fixture');
  tunekit('run', 'pipeline.yaml');
  tunekit('run', 'pipeline.yaml');
});
afterAll(() => ws.remove());

describe('after real pipeline runs', () => {
  test('the file store holds one parent and one nested run per stage for each pipeline run', async () => {
    const client = new FileStoreClient(join(ws.path, 'mlruns'));
    const experiment = await client.getExperimentByName('toy-experiment');
    const runs = await searchAllRuns(client, { experimentIds: [experiment!.experimentId] });
    const parents = runs.filter((r) => !tagValue(r, 'mlflow.parentRunId'));
    expect(parents).toHaveLength(2);
    for (const parent of parents) {
      const children = runs.filter((r) => tagValue(r, 'mlflow.parentRunId') === parent.info.runId);
      expect(children.map((c) => c.info.runName).sort()).toEqual(['train[strategy=full]', 'train[strategy=lora]']);
    }
    const ran = runs.filter((r) => tagValue(r, 'tunekit.cache') === 'miss');
    const lora = ran.find((r) => r.info.runName === 'train[strategy=lora]')!;
    expect((await client.getMetricHistory(lora.info.runId, 'train/loss')).map((m) => [m.step, m.value])).toEqual([[0, 2], [1, 1], [2, 2 / 3]]);
    expect(await client.listArtifacts(lora.info.runId)).toEqual(['metrics.json']);
    expect(tagValue(lora, 'strategy.kind')).toBe('lora');
  });

  test('parents carry the git commit; a cached stage run points at the run that produced it and copies no metrics', async () => {
    const client = new FileStoreClient(join(ws.path, 'mlruns'));
    const experiment = await client.getExperimentByName('toy-experiment');
    const runs = await searchAllRuns(client, { experimentIds: [experiment!.experimentId] });
    const head = git('rev-parse', 'HEAD');
    for (const parent of runs.filter((r) => !tagValue(r, 'mlflow.parentRunId'))) expect(tagValue(parent, 'mlflow.source.git.commit')).toBe(head);
    const hits = runs.filter((r) => tagValue(r, 'tunekit.cache') === 'hit');
    expect(hits).toHaveLength(2);
    for (const hit of hits) {
      const producer = runs.find((r) => tagValue(r, 'tunekit.cache') === 'miss' && r.info.runName === hit.info.runName)!;
      expect(tagValue(hit, 'tunekit.cache.source_run_id')).toBe(producer.info.runId);
      expect(hit.metrics).toEqual([]);
    }
  });

  test('tunekit tracking runs lists both pipeline runs with each stage run and final metrics', async () => {
    const out = io();
    expect(await runTrackingCommand(['runs', '--experiment', 'toy-experiment'], out)).toBe(0);
    const lines = out.out.join('\n').trimEnd().split('\n').slice(3);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^toy-\S+\s+[0-9a-f]{32}\s+FINISHED/);
    expect(lines.filter((l) => /^[├└]─ train\[strategy=lora\].*FINISHED\s+miss.*eval\/f1=0\.75 train\/loss=0\.6667$/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^[├└]─ train\[strategy=full\].*FINISHED\s+hit.*eval\/f1=0\.8 train\/loss=0\.3333 \(from [0-9a-f]{8}\)$/.test(l))).toHaveLength(1);
  });

  test('tunekit runs --experiment (the CLI) gives the same tracking view', () => {
    const lines = tunekit('runs', '--experiment', 'toy-experiment').trimEnd().split('\n').slice(3);
    expect(lines).toHaveLength(6);
    expect(lines.filter((l) => /^[├└]─ train\[strategy=lora\].*eval\/f1=0\.75 train\/loss=0\.6667( \(from [0-9a-f]{8}\))?$/.test(l))).toHaveLength(2);
  });

  test('tunekit compare shows the two strategy runs side by side', async () => {
    const out = io();
    expect(await runCompareCommand(['train[strategy=full]', 'train[strategy=lora]', '--experiment', 'toy-experiment'], out)).toBe(0);
    const rows = out.out.join('\n').split('\n').map((l) => l.trimEnd());
    expect(rows[0]).toMatch(/^PARAM\s+train\[strategy=full\] \([0-9a-f]{8}, cached from [0-9a-f]{8}\)\s+train\[strategy=lora\] \([0-9a-f]{8}, cached from [0-9a-f]{8}\)$/);
    expect(rows).toContainEqual(expect.stringMatching(/^\* strategy\s+full\s+lora$/));
    expect(rows).toContainEqual(expect.stringMatching(/^  optimizer\.lr\s+0\.0005\s+0\.0005$/));
    expect(rows).toContainEqual(expect.stringMatching(/^\* eval\/f1\s+0\.8\s+0\.75$/));
    expect(rows).toContainEqual(expect.stringMatching(/^\* train\/loss\s+0\.333333\s+0\.666667$/));
  });
});
