/** `--jobs <n>`: independent stages run in parallel, never more than n at once (default: CPU count). */
import { describe, expect, test } from '@jest/globals';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fixtureWorkspace, readText, runJson, type RunJson } from './helpers.ts';

// Three independent stages, each holding a marker in running/ for `ms` and reporting the most markers it saw.
const pipeline = (ms: number) =>
  `stages:\n` +
  ['x', 'y', 'z'].map((label) => `  ${label}:\n    uses: ./plugins/overlap.ts\n    with: { dir: running, ms: ${ms}, label: ${label} }\n`).join('');

const mostAtOnce = (run: RunJson) => Math.max(...['x', 'y', 'z'].map((id) => Number(readText(join(run.stages[id]!.outputs.out!.path, 'text.txt')))));

describe('--jobs', () => {
  test('--jobs 2 runs two stages at once and never three', async () => {
    // 4 s per stage: long enough for two stage processes to overlap even when starting one takes seconds under load.
    const ws = fixtureWorkspace({ 'pipeline.yaml': pipeline(4000) });
    const run = await runJson('pipeline.yaml', ws, ['--jobs', '2']);
    expect(run.code).toBe(0);
    expect(mostAtOnce(run)).toBe(2);
  });

  test('without --jobs, as many stages run at once as there are CPUs', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': pipeline(4000) });
    const run = await runJson('pipeline.yaml', ws);
    expect(run.code).toBe(0);
    expect(mostAtOnce(run)).toBe(Math.min(3, availableParallelism()));
  });

  test('--jobs 1 runs one stage at a time', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': pipeline(600) });
    const run = await runJson('pipeline.yaml', ws, ['--jobs', '1']);
    expect(run.code).toBe(0);
    expect(mostAtOnce(run)).toBe(1);
  });
});
