/** F1 of every fine-tuned strategy and baseline side by side, and few-shot F1 against k. */
import type { MetricsFile } from '../../metrics-file/schema.ts';
import { base, KIND_COLORS, type VegaLiteSpec } from './common.ts';

export function primaryScore(e: MetricsFile): number | null {
  const m = e.metrics;
  // Classification: macro F1 (micro F1 equals accuracy for single-label data).
  if (e.task === 'sequence-classification') return m.macro_f1 ?? m.accuracy ?? m.f1 ?? null;
  return m.f1 ?? m.macro_f1 ?? m.accuracy ?? null;
}

/** Axis title of primaryScore: macro F1 when every entry is sequence classification. */
export function scoreTitle(entries: readonly MetricsFile[]): string {
  return entries.length > 0 && entries.every((e) => e.task === 'sequence-classification') ? 'macro F1' : 'F1';
}

export function methodComparisonSpec(entries: readonly MetricsFile[]): VegaLiteSpec | null {
  const scored = entries.filter((e) => e.kind === 'fine-tune' || e.kind === 'baseline' || e.kind === 'few-shot');
  const title = scoreTitle(scored);
  const rows = scored
    .map((e) => ({ name: e.name, kind: e.kind, f1: primaryScore(e) }))
    .filter((r): r is { name: string; kind: MetricsFile['kind']; f1: number } => r.f1 !== null && Number.isFinite(r.f1))
    .sort((a, b) => b.f1 - a.f1);
  if (rows.length === 0) return null;
  const kinds = [...new Set(rows.map((r) => r.kind))];
  return base(`${title} by method: fine-tuning strategies, baselines, few-shot`, {
    height: Math.max(120, rows.length * 28),
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 3, height: { band: 0.7 } },
        encoding: {
          y: { field: 'name', type: 'nominal', sort: null, title: null, axis: { labelLimit: 220 } },
          x: { field: 'f1', type: 'quantitative', title, scale: { domain: [0, 1] } },
          color: { field: 'kind', type: 'nominal', title: 'kind', scale: { domain: kinds, range: kinds.map((k) => KIND_COLORS[k] ?? '#6b7280') } },
          tooltip: [{ field: 'name' }, { field: 'kind' }, { field: 'f1', format: '.4f' }],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#111827' },
        encoding: {
          y: { field: 'name', type: 'nominal', sort: null },
          x: { field: 'f1', type: 'quantitative' },
          text: { field: 'f1', type: 'quantitative', format: '.3f' },
        },
      },
    ],
  });
}

export function fewShotSpec(entries: readonly MetricsFile[]): VegaLiteSpec | null {
  const fewShot = entries.filter((e) => e.kind === 'few-shot' && e.k !== undefined && primaryScore(e) !== null);
  const title = scoreTitle(fewShot);
  const points = fewShot
    .map((e) => ({ k: e.k!, f1: primaryScore(e)!, series: e.strategy ?? 'few-shot' }));
  if (points.length === 0) return null;
  const full = entries.filter((e) => e.kind === 'fine-tune' && primaryScore(e) !== null);
  const best = full.reduce<MetricsFile | null>((a, e) => (a === null || primaryScore(e)! > primaryScore(a)! ? e : a), null);
  const layers: VegaLiteSpec[] = [
    {
      data: { values: points },
      mark: { type: 'line', point: { size: 60 }, strokeWidth: 2 },
      encoding: {
        x: { field: 'k', type: 'quantitative', title: 'k (sentences per entity type / examples per class)', scale: { type: 'log' }, axis: { values: [...new Set(points.map((p) => p.k))] } },
        y: { field: 'f1', type: 'quantitative', title, scale: { domain: [0, 1] } },
        color: { field: 'series', type: 'nominal', title: 'few-shot' },
        tooltip: [{ field: 'k' }, { field: 'f1', format: '.4f' }],
      },
    },
  ];
  if (best) {
    const value = primaryScore(best)!;
    layers.push(
      { data: { values: [{ f1: value }] }, mark: { type: 'rule', color: '#2563eb', strokeDash: [6, 3], strokeWidth: 2 }, encoding: { y: { field: 'f1', type: 'quantitative' } } },
      {
        data: { values: [{ f1: value, label: `full data (${best.name}): ${value.toFixed(3)}` }] },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -4, x: 4, color: '#2563eb', fontSize: 11 },
        encoding: { y: { field: 'f1', type: 'quantitative' }, text: { field: 'label' } },
      },
    );
  }
  return base(`Few-shot ${title} against k, next to full-data fine-tuning`, { layer: layers });
}

export function forgettingSpec(entries: readonly MetricsFile[]): VegaLiteSpec | null {
  const withF = entries.filter((e) => e.forgetting);
  if (withF.length === 0) return null;
  const metric = withF[0]!.forgetting!.metric === 'pseudo_perplexity' ? 'pseudo-perplexity' : 'masked-LM loss';
  const rows = withF.flatMap((e) => [
    { name: e.strategy ?? e.name, when: 'before fine-tuning', value: e.forgetting!.before },
    { name: e.strategy ?? e.name, when: 'after fine-tuning', value: e.forgetting!.after },
  ]);
  return base(`Forgetting: ${metric} on general text (${withF[0]!.forgetting!.corpus}), lower is better`, {
    data: { values: rows },
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      x: { field: 'name', type: 'nominal', title: 'strategy', axis: { labelAngle: 0 } },
      xOffset: { field: 'when', sort: ['before fine-tuning', 'after fine-tuning'] },
      y: { field: 'value', type: 'quantitative', title: metric },
      color: { field: 'when', type: 'nominal', title: null, sort: ['before fine-tuning', 'after fine-tuning'], scale: { range: ['#9ca3af', '#8b5cf6'] } },
      tooltip: [{ field: 'name' }, { field: 'when' }, { field: 'value', format: '.4f' }],
    },
  });
}
