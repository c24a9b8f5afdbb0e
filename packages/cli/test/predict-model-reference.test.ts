/**
 * `tunekit predict --model <run-id>/<stage>`: the model is found through the run record of a real
 * `tunekit run` (here model-loader/load of the tiny fixture, so the run is quick).
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastJson, tempDir, tunekit } from './helpers.ts';

const TINY_BERT = fileURLToPath(new URL('../../../fixtures/tiny-bert', import.meta.url));
const env = { TUNEKIT_BACKEND: 'cpu' };

describe('tunekit predict --model <run-id>/<stage>', () => {
  test("resolves the stage's recorded model output; unknown stages and outputs are clear errors", async () => {
    const dir = tempDir('tunekit-predict-ref-');
    const store = join(dir, 'store');
    writeFileSync(join(dir, 'pipeline.yaml'), `name: predict-model-reference\nstages:\n  base:\n    uses: model-loader/load\n    with: { source: ${JSON.stringify(TINY_BERT)} }\n`);
    const run = await tunekit(['run', 'pipeline.yaml', '--json'], { cwd: dir, store, env });
    const json = lastJson(run);
    expect(json.stages.base!.status).toBe('ran');

    writeFileSync(join(dir, 'in.tsv'), 'Heart\tB-Disease\ndisease\tI-Disease\n.\tO\n\nGermline\tO\nmutations\tO\n');
    const predicted = await tunekit(['predict', '--model', `${json.runId}/base`, '--input', 'in.tsv', '--output', 'out.tsv'], { cwd: dir, store, env });
    expect(predicted.code).toBe(0);
    expect(predicted.stdout).toContain('5 words in 2 sentences');
    expect(predicted.stderr).toContain('[predict] rows 2/2 (100%)'); // progress, off a terminal: plain lines on stderr
    const blocks = readFileSync(join(dir, 'out.tsv'), 'utf8').trimEnd().split('\n\n').map((b) => b.split('\n').map((l) => l.split('\t')));
    expect(blocks.map((b) => b.map((cols) => cols.slice(0, 2)))).toEqual([
      [['Heart', 'B-Disease'], ['disease', 'I-Disease'], ['.', 'O']],
      [['Germline', 'O'], ['mutations', 'O']],
    ]);
    expect(blocks.flat().every((cols) => cols.length === 4)).toBe(true);

    const noStage = await tunekit(['predict', '--model', `${json.runId}/nope`, '--input', 'in.tsv', '--output', 'x.tsv'], { cwd: dir, store, env });
    expect(noStage.code).toBe(2);
    expect(noStage.stderr).toContain(`run ${json.runId} has no stage "nope" (stages: base)`);
    const noOutput = await tunekit(['predict', '--model', `${json.runId}/base/weights`, '--input', 'in.tsv', '--output', 'x.tsv'], { cwd: dir, store, env });
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toContain(`stage base of run ${json.runId} has no output "weights" (outputs: model)`);
  }, 120000);
});
