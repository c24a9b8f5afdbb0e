/** Vega-Lite spec → standalone SVG string, rendered in Node (no browser, no network). */
import type { VegaLiteSpec } from './charts/common.ts';

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  // Imported one after the other: Jest's ESM loader fails on concurrent imports sharing modules.
  const vega = await import('vega');
  const vegaLite = await import('vega-lite');
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
