/** evaluation/calibrate on the tiny fixture: T fitted on validation, model output carries it. */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTemperature } from '../src/predict/inference-model.ts';
import stage from '../src/stages/evaluation-calibrate.ts';
import { encodedDatasetArtifact, readConll, TINY_BERT } from './helpers/artifacts.ts';
import { stageContext } from './helpers/stage-context.ts';

process.env.TUNEKIT_BACKEND = 'cpu';
const LABELS = ['O', 'B-Disease', 'I-Disease', 'B-Chemical', 'I-Chemical'];

describe('evaluation/calibrate', () => {
  test('fits T on validation (NLL does not increase), reports ECE before/after, writes the model with tunekit_calibration.json', async () => {
    const devel = readConll('datasets/ncbi-disease/devel.tsv');
    const dataset = await encodedDatasetArtifact(TINY_BERT, { validation: devel.slice(0, 8), test: devel.slice(8, 14) }, LABELS);
    const params = { kind: 'fine-tune' as const, bins: 15, fit_split: 'validation', eval_split: 'test', batch_size: 64 };
    const ctx = await stageContext({ stageId: 'calibrate[strategy=full]', params, inputs: { model: { dir: TINY_BERT, digest: 'm' }, dataset: { dir: dataset, digest: 'd' } }, outputs: ['model', 'metrics'] });
    await stage.run(ctx);
    const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
    expect(metrics.metrics.nll_fit_after).toBeLessThanOrEqual(metrics.metrics.nll_fit_before);
    expect(metrics.calibration.temperature).toBe(metrics.metrics.temperature);
    expect(metrics.calibration.token.count).toBe(metrics.calibration.after_temperature.count);
    expect(metrics.name).toBe('full');
    // Progress counts the rows of both splits, fit then eval.
    const rows = (split: string) => JSON.parse(readFileSync(join(dataset, 'manifest.json'), 'utf8')).splits[split].numRows;
    const total = rows('validation') + rows('test');
    expect([ctx.logged.progress.includes(`rows ${rows('validation')}/${total}`), ctx.logged.progress.at(-1)]).toEqual([true, `rows ${total}/${total}`]);
    const temperature = await readTemperature(ctx.outputs.model!.dir);
    expect(temperature).toBe(metrics.metrics.temperature);
    expect(await readFile(join(ctx.outputs.model!.dir, 'model.safetensors'))).toEqual(await readFile(join(TINY_BERT, 'model.safetensors')));
  });
});
