/**
 * PNG of the top of a report.html (the picture in the root README):
 *   node --import tsx packages/evaluation/scripts/report-screenshot.ts <report.html> <out.png> [--height 1400] [--width 1280]
 * The page is loaded from file:// with no network; charts are inline SVG, so nothing to wait for.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from './chromium.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { height: { type: 'string', default: '1400' }, width: { type: 'string', default: '1280' } },
});
if (positionals.length !== 2) {
  console.error('usage: report-screenshot.ts <report.html> <out.png> [--height 1400] [--width 1280]');
  process.exit(2);
}
const [html, png] = positionals.map((p) => resolve(p));
const width = Number(values.width);
const height = Number(values.height);

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  const pageHeight = await page.evaluate('document.documentElement.scrollHeight') as number;
  await page.screenshot({ path: png, clip: { x: 0, y: 0, width, height: Math.min(height, pageHeight) } });
  console.log(`${png} (${width}x${Math.min(height, pageHeight)} of a ${pageHeight}px page)`);
} finally {
  await browser.close();
}
