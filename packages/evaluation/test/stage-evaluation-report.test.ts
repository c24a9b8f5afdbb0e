import { describe, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManifest } from '@tunekit/pipeline';
import { mergeMetricsFiles, validateMetricsFile, writeMetricsFile } from '../src/metrics-file/index.ts';
import stage from '../src/stages/evaluation-report.ts';
import { reportEntries } from './fixtures/report-entries.ts';
import { stageContext, tempDir } from './helpers/stage-context.ts';

async function metricsArtifact(entry: unknown) {
  const dir = await tempDir();
  await writeMetricsFile(dir, entry as never);
  await writeManifest(dir, { kind: 'metrics', schemaVersion: 1 });
  return { dir, digest: 'x' };
}

describe('evaluation/report stage', () => {
  test('a gathered list of metrics artifacts plus single ones → one self-contained report.html', async () => {
    const entries = reportEntries();
    const fineTuned = await Promise.all(entries.filter((e) => e.kind === 'fine-tune').map(metricsArtifact));
    const dictionary = await metricsArtifact(entries.find((e) => e.name === 'dictionary'));
    const pipelineDir = await tempDir();
    await writeFile(join(pipelineDir, 'p.yaml'), 'name: p\nstages:\n  a: { uses: x/y }\n  b: { uses: x/z, inputs: { m: a.out } }\n');
    const ctx = await stageContext({
      stageId: 'report',
      params: { title: 'Test report', pipeline: 'p.yaml' },
      // the engine's collection input: { dir, digest, items: one artifact per matrix cell }
      inputs: { metrics: { dir: '/collection', digest: 'c', items: fineTuned.map((a, i) => ({ ...a, stageId: `evaluate[strategy=${i}]`, coords: { strategy: i } })) }, baselines: dictionary },
      outputs: ['report'],
      pipelineDir,
    });
    await stage.run(ctx);
    const html = await readFile(join(ctx.outputs.report!.dir, 'report.html'), 'utf8');
    expect(html).toContain('<title>Test report</title>');
    const charts = [...html.matchAll(/<figure class="chart" data-chart="([a-z0-9-]+)"><svg/g)].map((m) => m[1]);
    // every chart but few-shot (no few-shot entry was given)
    expect(charts).toEqual(['method-comparison', 'loss-curves', 'f1-per-epoch', 'confusion', 'reliability', 'forgetting', 'dag']);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const manifest = JSON.parse(await readFile(join(ctx.outputs.report!.dir, 'manifest.json'), 'utf8'));
    expect(manifest.entries).toHaveLength(5);
  });

  test('two baselines: dictionary in baselines and zero-shot in zero_shot both reach the report', async () => {
    const dictionary = await metricsArtifact(reportEntries().find((e) => e.name === 'dictionary'));
    const zeroShot = await metricsArtifact({ ...reportEntries().find((e) => e.name === 'dictionary'), name: 'zero-shot' });
    const ctx = await stageContext({ stageId: 'report', params: { title: 't' }, inputs: { baselines: dictionary, zero_shot: zeroShot }, outputs: ['report'] });
    await stage.run(ctx);
    const manifest = JSON.parse(await readFile(join(ctx.outputs.report!.dir, 'manifest.json'), 'utf8'));
    expect(manifest.entries).toEqual([
      { name: 'dictionary', kind: 'baseline' },
      { name: 'zero-shot', kind: 'baseline' },
    ]);
  });

  test('a plain list of artifacts is accepted too', async () => {
    const a = await metricsArtifact(reportEntries()[0]);
    const ctx = await stageContext({ stageId: 'report', params: { title: 't' }, inputs: { metrics: [a] }, outputs: ['report'] });
    await stage.run(ctx);
    expect(JSON.parse(await readFile(join(ctx.outputs.report!.dir, 'manifest.json'), 'utf8')).entries).toEqual([{ name: 'full', kind: 'fine-tune' }]);
  });

  test('no metrics input is an error', async () => {
    const ctx = await stageContext({ stageId: 'report', params: { title: 't' }, outputs: ['report'] });
    await expect(stage.run(ctx)).rejects.toThrow('no metrics input');
  });
});

describe('metrics.json', () => {
  test('training and evaluation entries of the same name merge (history + test F1)', () => {
    const merged = mergeMetricsFiles([
      { schemaVersion: 1, kind: 'fine-tune', name: 'lora', task: 'token-classification', metrics: { train_seconds: 100 }, history: [{ epoch: 1, train_loss: 0.5 }] },
      { schemaVersion: 1, kind: 'fine-tune', name: 'lora', task: 'token-classification', metrics: { f1: 0.8 }, split: 'test' },
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ metrics: { train_seconds: 100, f1: 0.8 }, history: [{ epoch: 1, train_loss: 0.5 }], split: 'test' });
  });

  test('validation names the file and the field', () => {
    expect(() => validateMetricsFile({ schemaVersion: 1, kind: 'fine-tune', name: 'x', task: 'token-classification', metrics: { f1: 'high' } }, 'm.json')).toThrow('m.json: metrics.f1: expected a number or null');
    expect(() => validateMetricsFile({ schemaVersion: 2 }, 'm.json')).toThrow('m.json: schemaVersion: expected 1');
  });

  test('NaN is written as null', async () => {
    const dir = await tempDir();
    await writeMetricsFile(dir, { schemaVersion: 1, kind: 'baseline', name: 'x', task: 'token-classification', metrics: { macro_f1: NaN } });
    expect(JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')).metrics.macro_f1).toBeNull();
  });
});
