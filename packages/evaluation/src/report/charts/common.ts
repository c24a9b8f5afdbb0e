/** Shared Vega-Lite pieces: a spec type, sizes and the report's palette. */
export type VegaLiteSpec = Record<string, unknown>;

export const WIDTH = 430;
export const HEIGHT = 240;

/** Colour per entry kind, so fine-tuned models and baselines read apart at a glance. */
export const KIND_COLORS: Record<string, string> = {
  'fine-tune': '#2563eb',
  baseline: '#9ca3af',
  'few-shot': '#f59e0b',
  calibration: '#10b981',
  forgetting: '#8b5cf6',
};

export function base(title: string, extra: VegaLiteSpec = {}): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 14, fontWeight: 600, color: '#111827' },
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    config: {
      font: 'Helvetica, Arial, sans-serif',
      view: { stroke: null },
      axis: { labelColor: '#374151', titleColor: '#374151', gridColor: '#e5e7eb', domainColor: '#9ca3af', tickColor: '#9ca3af' },
      legend: { labelColor: '#374151', titleColor: '#374151', orient: 'right', labelLimit: 260 },
      range: { category: ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d'] },
    },
    ...extra,
  };
}

/** One colour per model name, the same in every chart (names sorted, palette cycled). */
export interface NameColors {
  domain: string[];
  range: string[];
}

export const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d'];

export function nameColors(names: Iterable<string>): NameColors {
  const domain = [...new Set(names)].sort();
  return { domain, range: domain.map((_, i) => PALETTE[i % PALETTE.length]!) };
}
