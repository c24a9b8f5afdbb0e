/**
 * Few-shot sentence classification in the report: entries written by evaluation/classification
 * with kind few-shot and k (as the ADE pipeline's fewshot_eval stages write them) are plotted as
 * macro F1 against k, next to the best full-data fine-tuned macro F1; the zero-shot baseline sits
 * with the fine-tuned models in the method comparison.
 */
import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManifest } from '@tunekit/pipeline';
import type { MetricsFile } from '../src/metrics-file/schema.ts';
import { writeMetricsFile } from '../src/metrics-file/index.ts';
import { fewShotSpec, methodComparisonSpec } from '../src/report/charts/comparison.ts';
import stage from '../src/stages/evaluation-report.ts';
import { stageContext, tempDir } from './helpers/stage-context.ts';

const classification = (kind: MetricsFile['kind'], name: string, macro: number, k?: number): MetricsFile => ({
  schemaVersion: 1,
  kind,
  name,
  task: 'sequence-classification',
  split: 'test',
  ...(k !== undefined ? { k } : {}),
  // micro F1 = accuracy differs from macro F1 on purpose: the plots must use macro F1
  metrics: { accuracy: macro + 0.05, f1: macro + 0.05, macro_f1: macro },
});

const entries = [
  classification('fine-tune', 'full', 0.9),
  classification('fine-tune', 'lora', 0.85),
  classification('baseline', 'zero-shot', 0.4),
  classification('few-shot', 'few-shot k=5', 0.5, 5),
  classification('few-shot', 'few-shot k=10', 0.6, 10),
  classification('few-shot', 'few-shot k=50', 0.75, 50),
];

type Layer = { data: { values: Record<string, unknown>[] }; encoding: { y: { title?: string } } };

describe('report: few-shot sentence classification', () => {
  test('macro F1 against k, with the best full-data macro F1 as the reference line', () => {
    const spec = fewShotSpec(entries) as unknown as { title: { text: string } | string; layer: Layer[] };
    expect(spec.layer[0]!.data.values).toEqual([
      { k: 5, f1: 0.5, series: 'few-shot' },
      { k: 10, f1: 0.6, series: 'few-shot' },
      { k: 50, f1: 0.75, series: 'few-shot' },
    ]);
    expect(spec.layer[0]!.encoding.y.title).toBe('macro F1');
    expect(spec.layer[1]!.data.values).toEqual([{ f1: 0.9 }]);
    const comparison = methodComparisonSpec(entries) as unknown as { data: { values: Record<string, unknown>[] }; layer: { encoding: { x: { title: string } } }[] };
    expect(comparison.layer[0]!.encoding.x.title).toBe('macro F1');
    expect(comparison.data.values.map((r) => [r.name, r.kind, r.f1])).toEqual([
      ['full', 'fine-tune', 0.9],
      ['lora', 'fine-tune', 0.85],
      ['few-shot k=50', 'few-shot', 0.75],
      ['few-shot k=10', 'few-shot', 0.6],
      ['few-shot k=5', 'few-shot', 0.5],
      ['zero-shot', 'baseline', 0.4],
    ]);
  });

  test('the report stage draws the few-shot chart from a gathered few_shot input', async () => {
    const artifact = async (entry: MetricsFile) => {
      const dir = await tempDir();
      await writeMetricsFile(dir, entry);
      await writeManifest(dir, { kind: 'metrics', schemaVersion: 1 });
      return { dir, digest: 'x' };
    };
    const items = async (list: MetricsFile[], stageId: (e: MetricsFile) => string) => ({ dir: '/collection', digest: 'c', items: await Promise.all(list.map(async (e) => ({ ...(await artifact(e)), stageId: stageId(e) }))) });
    const ctx = await stageContext({
      stageId: 'report',
      params: { title: 'ADE' },
      inputs: {
        metrics: await items(entries.filter((e) => e.kind === 'fine-tune'), (e) => `evaluate[strategy=${e.name}]`),
        zero_shot: await artifact(entries.find((e) => e.kind === 'baseline')!),
        few_shot: await items(entries.filter((e) => e.kind === 'few-shot'), (e) => `fewshot_eval[k=${e.k}]`),
      },
      outputs: ['report'],
    });
    await stage.run(ctx);
    const html = await readFile(join(ctx.outputs.report!.dir, 'report.html'), 'utf8');
    const charts = [...html.matchAll(/<figure class="chart" data-chart="([a-z0-9-]+)"><svg/g)].map((m) => m[1]);
    expect(charts).toEqual(expect.arrayContaining(['method-comparison', 'few-shot']));
    expect(html).toContain('Few-shot macro F1 against k');
  });
});
