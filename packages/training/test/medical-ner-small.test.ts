/**
 * End to end through the real `tunekit` CLI: a small version of pipelines/medical-ner.yaml
 * (test/fixtures/medical-ner-small/: same stage kinds and wiring, 40 + 16 sentences, a 1-layer
 * random BERT, 2 strategies, 1 optimizer step per training stage) — report, MLflow file store
 * (a parent run, one nested run per stage), the export stage, and `tunekit rerun` bit-identical.
 * About 1.5 min per run on a loaded 2-core machine, so ~3 min in all.
 */
import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { access, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'packages/cli/bin/tunekit.js');
const PIPELINE = fileURLToPath(new URL('./fixtures/medical-ner-small/pipeline.yaml', import.meta.url));

interface StageRecord { status: string; outputs: Record<string, { path: string; digest: string }> }

async function tunekit(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; last: any }> {
  let stdout: string;
  let code = 0;
  try {
    ({ stdout } = await run(process.execPath, [CLI, ...args, '--json', '--jobs', '2'], { env, cwd: ROOT, maxBuffer: 64 << 20 }));
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.stdout !== 'string' || !e.stdout.trim()) throw new Error(`tunekit ${args.join(' ')} failed: ${e.stderr}`);
    stdout = e.stdout;
    code = e.code ?? 1;
  }
  return { code, last: JSON.parse(stdout.trim().split('\n').pop()!) };
}

/** MLflow file store: every run of every experiment with its tags. */
async function mlflowRuns(root: string) {
  const runs: Array<{ id: string; tags: Record<string, string> }> = [];
  for (const experiment of await readdir(root)) {
    if (experiment === '0' || experiment.startsWith('.')) continue;
    for (const id of await readdir(join(root, experiment))) {
      if (id === 'meta.yaml') continue;
      const tagDir = join(root, experiment, id, 'tags');
      const tags: Record<string, string> = {};
      for (const t of await readdir(tagDir)) tags[t] = (await readFile(join(tagDir, t), 'utf8')).trim();
      runs.push({ id, tags });
    }
  }
  return runs;
}

describe('medical-ner pipeline structure, small', () => {
  test('runs end to end: report, one parent MLflow run with a nested run per stage, export on validation, rerun bit-identical', async () => {
    const home = await mkdtemp(join(tmpdir(), 'tunekit-small-'));
    const env = { ...process.env, TUNEKIT_HOME: join(home, 'store'), MLFLOW_TRACKING_URI: `file:${join(home, 'mlruns')}`, CI: '1' };
    const first = await tunekit(['run', PIPELINE], env);
    expect(first.code).toBe(0);
    const stages = first.last.stages as Record<string, StageRecord>;
    const ids = Object.keys(stages);
    expect(ids).toHaveLength(27);
    expect(Object.values(stages).every((s) => s.status === 'ran')).toBe(true);
    await access(join(stages.report!.outputs.report!.path, 'report.html'));

    const runs = await mlflowRuns(join(home, 'mlruns'));
    const parents = runs.filter((r) => !r.tags['mlflow.parentRunId']);
    expect(parents).toHaveLength(1);
    const nested = runs.filter((r) => r.tags['mlflow.parentRunId'] === parents[0]!.id);
    expect(nested.map((r) => r.tags['mlflow.runName']).sort()).toEqual([...ids].sort());

    const selection = JSON.parse(await readFile(join(stages.export!.outputs.model!.path, 'tunekit_selection.json'), 'utf8'));
    expect(selection.split).toBe('validation');
    expect(selection.candidates.map((c: { stageId: string }) => c.stageId)).toEqual(['calibrate[strategy=full]', 'calibrate[strategy=lora]']);

    const again = await tunekit(['rerun', first.last.runId], env);
    expect(Object.entries(again.last.stages as Record<string, { identical: boolean }>).filter(([, s]) => !s.identical).map(([id]) => id)).toEqual([]);
    expect([again.code, again.last.identical]).toEqual([0, true]);
  }, 420_000);
});
