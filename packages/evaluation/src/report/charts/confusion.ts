/** Confusion matrix as a heatmap with counts (rows = gold, columns = predicted). */
import type { MetricsFile } from '../../metrics-file/schema.ts';
import { base, type VegaLiteSpec } from './common.ts';

export function confusionSpec(entry: MetricsFile): VegaLiteSpec | null {
  const c = entry.confusion;
  if (!c || c.labels.length === 0) return null;
  const rows = c.labels.flatMap((gold, i) => {
    const total = c.matrix[i]!.reduce((a, b) => a + b, 0);
    return c.labels.map((pred, j) => ({ gold, pred, count: c.matrix[i]![j]!, share: total === 0 ? 0 : c.matrix[i]![j]! / total }));
  });
  const side = Math.min(420, Math.max(160, c.labels.length * 60));
  return base(`Confusion matrix — ${entry.name}`, {
    width: side,
    height: side,
    data: { values: rows },
    encoding: {
      x: { field: 'pred', type: 'nominal', title: 'predicted', sort: c.labels, axis: { labelAngle: 0 } },
      y: { field: 'gold', type: 'nominal', title: 'gold', sort: c.labels },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: { field: 'share', type: 'quantitative', title: 'row share', scale: { scheme: 'blues', domain: [0, 1] } },
          tooltip: [{ field: 'gold' }, { field: 'pred' }, { field: 'count' }],
        },
      },
      {
        mark: { type: 'text', fontSize: 12 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#111827' },
        },
      },
    ],
  });
}
