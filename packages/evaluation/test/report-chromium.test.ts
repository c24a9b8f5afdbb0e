/**
 * The HTML report in headless Chromium (Debian `chromium`): no console errors, every plot rendered
 * as a non-empty SVG with the marks it should have, no network request, and a screenshot saved
 * (path printed in the log).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../scripts/chromium.ts';
import { buildReport } from '../src/report/build-report.ts';
import { dagFromPipelineYaml } from '../src/report/pipeline-dag.ts';
import { reportEntries } from './fixtures/report-entries.ts';

const outDir = fileURLToPath(new URL('../test-output/', import.meta.url));
const PIPELINE = `
name: medical-ner
stages:
  corpus: { uses: data-prep/conll }
  base: { uses: model-loader/load }
  features: { uses: data-prep/tokenize, inputs: { dataset: corpus.dataset, tokenizer: base.model } }
  adapt: { uses: "strategies/\${matrix.strategy}", matrix: { strategy: [full, partial, adapter, lora] }, inputs: { model: base.model } }
  train: { uses: training/fine-tune, inputs: { model: adapt.model, dataset: features.dataset } }
  evaluate: { uses: evaluation/ner, inputs: { model: train.model, dataset: features.dataset } }
  dictionary: { uses: evaluation/baseline-dictionary, inputs: { dataset: corpus.dataset } }
  report: { uses: evaluation/report, inputs: { metrics: "evaluate[*].metrics", baselines: dictionary.metrics } }
`;

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  await mkdir(outDir, { recursive: true });
  const html = await buildReport({ title: 'medical-ner — evaluation report', subtitle: 'constructed test data', entries: reportEntries(), dag: dagFromPipelineYaml(PIPELINE, 'test.yaml') });
  const file = join(outDir, 'report.html');
  await writeFile(file, html);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
}, 60000);

afterAll(async () => {
  await browser?.close();
});

/** Data marks of one type in a chart (role-mark: not axis ticks, grid lines or legend symbols). */
async function markCount(chart: string, mark: string): Promise<number> {
  return page.locator(`figure[data-chart="${chart}"] svg g.mark-${mark}.role-mark > *`).count();
}

describe('report in headless Chromium', () => {
  test('loads with no console errors and no network request', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  test('every chart is an inline SVG with a non-zero size', async () => {
    for (const chart of ['method-comparison', 'loss-curves', 'f1-per-epoch', 'reliability', 'confusion', 'few-shot', 'forgetting', 'dag']) {
      const box = await page.locator(`figure[data-chart="${chart}"] svg`).boundingBox();
      expect({ chart, ok: !!box && box.width > 100 && box.height > 80 }).toEqual({ chart, ok: true });
    }
  });

  test('method comparison has one bar per fine-tuned strategy, baseline and few-shot run (9)', async () => {
    expect(await markCount('method-comparison', 'rect')).toBe(9);
  });

  test('loss curves have one line per strategy and split (8); F1 per epoch one per strategy (4)', async () => {
    expect(await markCount('loss-curves', 'line')).toBe(8);
    expect(await markCount('f1-per-epoch', 'line')).toBe(4);
  });

  test('reliability diagram has the diagonal and one line per calibrated model (4 + 1 after T)', async () => {
    expect(await markCount('reliability', 'rule')).toBe(1);
    expect(await markCount('reliability', 'line')).toBe(5);
  });

  test('confusion matrix has 3 × 3 cells with counts', async () => {
    expect(await markCount('confusion', 'rect')).toBe(9);
    expect(await markCount('confusion', 'text')).toBe(9);
  });

  test('few-shot plot has the k points and the full-data reference rule', async () => {
    expect(await markCount('few-shot', 'symbol')).toBe(3);
    expect(await markCount('few-shot', 'rule')).toBe(1);
  });

  test('forgetting has a before and an after bar per strategy (8)', async () => {
    expect(await markCount('forgetting', 'rect')).toBe(8);
  });

  test('DAG has one box per stage (8) and one edge per input (10)', async () => {
    expect(await markCount('dag', 'rect')).toBe(8);
    expect(await markCount('dag', 'rule')).toBe(10);
  });

  test('run summary cards: models, best fine-tuned (full 0.810), best baseline (dictionary 0.620), ECE after T, least forgetting (lora)', async () => {
    const texts = async (part: string) => (await page.locator(`.cards .card .${part}`).allInnerTexts()).map((t) => t.trim());
    const [labels, values, subs] = [await texts('label'), await texts('value'), await texts('sub')];
    const cards = labels.map((label, i) => [label, values[i], subs[i]]);
    expect(labels.map((l) => l.toUpperCase())).toEqual(['MODELS EVALUATED', 'BEST FINE-TUNED', 'BEST BASELINE', 'ECE AFTER TEMPERATURE', 'LEAST FORGETTING']);
    expect(cards[0]!.slice(1)).toEqual(['9', '4 fine-tuned · 2 baselines']);
    expect(cards[1]!.slice(1)).toEqual(['0.810', 'full (F1, test)']);
    expect(cards[2]!.slice(1)).toEqual(['0.620', 'dictionary']);
    expect(cards[4]!.slice(1)).toEqual(['lora', 'MLM loss +0.100']);
  });

  test('metrics table lists every model and highlights the best (full)', async () => {
    expect(await page.locator('#metrics tbody tr').count()).toBe(9);
    expect(await page.locator('#metrics tr.best td').first().textContent()).toBe('full');
  });

  test('per-type table has one row per model and type (4 strategies × Disease) and fits the page width', async () => {
    expect(await page.locator('#per-type tbody tr').count()).toBe(4);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
  });

  test('screenshot saved', async () => {
    const path = join(outDir, 'report.png');
    await page.screenshot({ path, fullPage: true });
    console.log(`report screenshot: ${path}`);
  });
});
