/** Reliability diagram: accuracy against mean confidence per bin, the diagonal is perfect calibration. */
import type { CalibrationSummary, MetricsFile } from '../../metrics-file/schema.ts';
import { base, type VegaLiteSpec } from './common.ts';

export function reliabilitySpec(entries: readonly MetricsFile[]): VegaLiteSpec | null {
  const series: { name: string; summary: CalibrationSummary }[] = [];
  for (const e of entries) {
    if (e.calibration?.token) series.push({ name: e.name, summary: e.calibration.token });
    if (e.calibration?.after_temperature) {
      series.push({ name: `${e.name} (T = ${e.calibration.temperature?.toFixed(2) ?? '?'})`, summary: e.calibration.after_temperature });
    }
  }
  const rows = series.flatMap(({ name, summary }) =>
    summary.bins
      .filter((b) => b.count > 0)
      .map((b) => ({ name: `${name} · ECE ${summary.ece.toFixed(3)}`, confidence: b.confidence, accuracy: b.accuracy, count: b.count })),
  );
  if (rows.length === 0) return null;
  return base('Reliability diagram (top-label, 15 bins)', {
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: [{ x: 0, y: 0, x2: 1, y2: 1 }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#9ca3af' },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { domain: [0, 1] }, title: 'mean confidence' },
          y: { field: 'y', type: 'quantitative', scale: { domain: [0, 1] }, title: 'accuracy' },
          x2: { field: 'x2' },
          y2: { field: 'y2' },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: { field: 'confidence', type: 'quantitative', scale: { domain: [0, 1] } },
          y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] } },
          color: { field: 'name', type: 'nominal', title: 'model', legend: { labelLimit: 320 } },
          tooltip: [{ field: 'name' }, { field: 'confidence', format: '.3f' }, { field: 'accuracy', format: '.3f' }, { field: 'count' }],
        },
      },
    ],
  });
}
