/**
 * Cross-check with the serializer MLflow itself uses: PyYAML re-dumps each meta.yaml with
 * MLflow's write_yaml settings and must produce the same bytes; metric lines are parsed with
 * MLflow's FileStore rules. Needs python3 with PyYAML (present on this machine); the test says
 * so and is skipped where it is not.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileStoreClient } from '../../src/file-store/file-store.ts';
import { tempDir } from '../support/temp-dir.ts';

const script = fileURLToPath(new URL('../support/pyyaml-check.py', import.meta.url));
const hasPyYaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;
const maybe = hasPyYaml ? test : test.skip;
if (!hasPyYaml) process.stderr.write('pyyaml-crosscheck: python3 with PyYAML not found, skipping\n');

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('byte-for-byte agreement with PyYAML (what MLflow writes)', () => {
  maybe('a name the two YAML libraries quote differently (1e3) still reads back as the same string', async () => {
    const root = join(dir.path, 'mlruns');
    const store = new FileStoreClient(root);
    await store.createRun({ experimentId: '0', runName: '1e3', startTime: 1, userId: 'u' });
    const report = JSON.parse(execFileSync('python3', [script, root], { encoding: 'utf8' })) as { run_names: unknown[] };
    expect(report.run_names).toEqual(['1e3']);
  });

  maybe('experiment and run meta.yaml files, and metric lines', async () => {
    const root = join(dir.path, 'mlruns');
    const store = new FileStoreClient(root);
    const experimentId = await store.createExperiment('medical-ner: NCBI disease');
    const names = [
      'train[strategy=lora]', 'medical-ner-20261128-043059-221afb', 'evaluate', "quote's", 'yes', 'On', 'null', '~', '123', '0o17',
      '2001-12-14', 'a: b', '#hash', '- dash', 'trailing ', '[x]', 'tab\there', 'ü', `${'x'.repeat(40)} ${'y'.repeat(40)} ${'z'.repeat(10)}`, `a: ${'q'.repeat(78)} tail end`,
    ];
    for (const runName of names) {
      const { runId } = await store.createRun({ experimentId, runName, startTime: 1700000000000, userId: 'ünïcode user' });
      await store.updateRun(runId, { status: 'FINISHED', endTime: 1700000000999 });
      await store.logBatch(runId, {
        metrics: [0.5, 1, 1e-5, 1e16, 0.1 + 0.2, NaN, Infinity, -Infinity, 123456789.123].map((value, step) => ({ key: 'm', value, timestamp: 1700000000000 + step, step })),
      });
    }
    const report = JSON.parse(execFileSync('python3', [script, root], { encoding: 'utf8' })) as {
      meta: { path: string; same: boolean; pyyaml: string }[];
      metrics: [string, number, string, number][];
      run_names: unknown[];
    };
    expect([...report.run_names].sort()).toEqual([...names].sort());
    expect(report.meta.length).toBe(2 + names.length);
    for (const meta of report.meta) expect({ path: meta.path, same: meta.same }).toEqual({ path: meta.path, same: true });
    const firstRun = report.metrics.filter((m) => m[0] === report.metrics[0]![0]).map((m) => m[2]);
    expect(firstRun).toEqual(['0.5', '1.0', '1e-05', '1e+16', '0.30000000000000004', 'nan', 'inf', '-inf', '123456789.123']);
  });
});
