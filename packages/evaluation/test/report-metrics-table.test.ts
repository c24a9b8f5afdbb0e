/**
 * The report's "Metrics per strategy" table: training-cost columns (steps, best step, train s)
 * appear only when some entry carries those metrics — pipeline artifacts leave wall time out (it
 * would break bit-for-bit reruns), so an always-present "train s" column would be all dashes.
 */
import { describe, expect, test } from '@jest/globals';
import type { MetricsFile } from '../src/metrics-file/schema.ts';
import { buildReport } from '../src/report/build-report.ts';

const ner = (name: string, metrics: Record<string, number>): MetricsFile => ({
  schemaVersion: 1,
  kind: 'fine-tune',
  name,
  task: 'token-classification',
  split: 'test',
  metrics: { f1: 0.5, precision: 0.5, recall: 0.5, ...metrics },
});

/** Header cells of the first table (the metrics table) in the HTML. */
async function metricsHeaders(entries: MetricsFile[]): Promise<string[]> {
  const html = await buildReport({ title: 't', entries });
  const thead = /<thead><tr>(.*?)<\/tr><\/thead>/s.exec(html)![1]!;
  return [...thead.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => m[1]!);
}

describe('report metrics table', () => {
  test('no training-cost columns when no entry has them', async () => {
    const headers = await metricsHeaders([ner('full', { trainable_percent: 100 })]);
    expect(headers).toContain('trainable %');
    expect(headers).not.toContain('train s');
    expect(headers).not.toContain('steps');
  });

  test('steps and best step from the merged training metrics; train s when logged', async () => {
    const headers = await metricsHeaders([ner('full', { steps: 900, best_step: 600 }), ner('lora', { train_seconds: 120 })]);
    expect(headers.slice(-3)).toEqual(['steps', 'best step', 'train s']);
    const html = await buildReport({ title: 't', entries: [ner('full', { steps: 900, best_step: 600 })] });
    expect(html).toMatch(/<td class="num">900<\/td><td class="num">600<\/td><\/tr>/);
  });
});
