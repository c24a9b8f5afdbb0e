/**
 * Builds the self-contained HTML report (inline CSS and inline SVG; no script, no network) from
 * plain data: merged metrics.json entries and, optionally, the pipeline DAG.
 */
import type { MetricsFile } from '../metrics-file/schema.ts';
import { KIND_COLORS, nameColors, type VegaLiteSpec } from './charts/common.ts';
import { fewShotSpec, forgettingSpec, methodComparisonSpec, primaryScore } from './charts/comparison.ts';
import { confusionSpec } from './charts/confusion.ts';
import { dagSpec } from './charts/dag.ts';
import { reliabilitySpec } from './charts/reliability.ts';
import { f1PerEpochSpec, lossCurvesSpec } from './charts/training-curves.ts';
import { escapeHtml, fmt, STYLE, table } from './html.ts';
import type { Dag } from './pipeline-dag.ts';
import { renderSvg } from './render-svg.ts';

export interface ReportInput {
  title: string;
  /** Shown under the title, e.g. pipeline name and run id. */
  subtitle?: string;
  entries: MetricsFile[];
  dag?: Dag;
}

/** Names of the charts (data-chart attributes) the report can contain. */
export const CHART_IDS = ['method-comparison', 'loss-curves', 'f1-per-epoch', 'reliability', 'confusion', 'few-shot', 'forgetting', 'dag'] as const;

async function figure(id: string, spec: VegaLiteSpec | null, emptyNote: string): Promise<string> {
  if (!spec) return `<p class="empty" data-chart-missing="${id}">${escapeHtml(emptyNote)}</p>`;
  return `<figure class="chart" data-chart="${id}">${await renderSvg(spec)}</figure>`;
}

function kindBadge(kind: string): string {
  return `<span class="kind" style="background:${KIND_COLORS[kind] ?? '#6b7280'}">${escapeHtml(kind)}</span>`;
}

function best(entries: readonly MetricsFile[]): MetricsFile | undefined {
  return entries
    .filter((e) => primaryScore(e) !== null && Number.isFinite(primaryScore(e)))
    .reduce<MetricsFile | undefined>((a, e) => (a === undefined || primaryScore(e)! > primaryScore(a)! ? e : a), undefined);
}

function card(label: string, value: string, sub: string): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`;
}

function summaryCards(entries: readonly MetricsFile[]): string {
  const fineTuned = entries.filter((e) => e.kind === 'fine-tune');
  const baselines = entries.filter((e) => e.kind === 'baseline');
  const bestFt = best(fineTuned);
  const bestBase = best(baselines);
  const calibrated = entries.find((e) => e.calibration?.after_temperature && e.calibration.token);
  const forgetting = entries.filter((e) => e.forgetting);
  const leastForgetting = forgetting.reduce<MetricsFile | undefined>(
    (a, e) => (a === undefined || e.forgetting!.after - e.forgetting!.before < a.forgetting!.after - a.forgetting!.before ? e : a),
    undefined,
  );
  const cards = [
    card('Models evaluated', String(entries.length), `${fineTuned.length} fine-tuned · ${baselines.length} baselines`),
    bestFt ? card('Best fine-tuned', fmt(primaryScore(bestFt), 3), `${escapeHtml(bestFt.name)} (F1${bestFt.split ? `, ${escapeHtml(bestFt.split)}` : ''})`) : '',
    bestBase ? card('Best baseline', fmt(primaryScore(bestBase), 3), escapeHtml(bestBase.name)) : '',
    calibrated
      ? card('ECE after temperature', fmt(calibrated.calibration!.after_temperature!.ece, 3), `${escapeHtml(calibrated.name)}: ${fmt(calibrated.calibration!.token!.ece, 3)} before, T = ${fmt(calibrated.calibration!.temperature, 2)}`)
      : '',
    leastForgetting
      ? card('Least forgetting', escapeHtml(leastForgetting.strategy ?? leastForgetting.name), `MLM loss +${fmt(leastForgetting.forgetting!.after - leastForgetting.forgetting!.before, 3)}`)
      : '',
  ];
  return `<div class="cards">${cards.join('')}</div>`;
}

function metricsTable(entries: readonly MetricsFile[]): string {
  const rows = entries.filter((e) => e.kind !== 'forgetting' && e.kind !== 'calibration');
  const bestEntry = best(rows);
  const isNer = rows.some((e) => e.task === 'token-classification');
  // Training cost columns only when some entry carries them (pipelines keep wall time out of
  // artifacts so that reruns stay bit-identical; it is in the tracking runs instead).
  const optional = OPTIONAL_COLUMNS.filter(([, key]) => rows.some((e) => typeof e.metrics[key] === 'number'));
  // NER with more than one entity type: each type's F1 as a column too (the per-type section has P/R/support).
  const types = isNer ? [...new Set(rows.flatMap((e) => Object.keys(e.per_type ?? {})))].sort() : [];
  const typeColumns = types.length > 1 ? types : [];
  const headers = [
    ...(isNer
      ? ['model', 'kind', 'split', 'F1', 'precision', 'recall', 'F1 strict', 'token acc.', 'loss', 'ECE', 'trainable %']
      : ['model', 'kind', 'split', 'accuracy', 'macro F1', 'micro F1', 'loss', 'ECE', 'Brier', 'trainable %']),
    ...optional.map(([header]) => header),
    ...typeColumns.map((type) => `F1 ${type}`),
  ];
  const body = rows.map((e) => {
    const m = e.metrics;
    const common = [escapeHtml(e.name) + (e.k ? ` (k=${e.k})` : ''), kindBadge(e.kind), escapeHtml(e.split ?? '')];
    const tail = [
      fmt(m.loss),
      fmt(m.ece ?? e.calibration?.token?.ece),
      ...(isNer ? [] : [fmt(m.brier ?? e.calibration?.token?.brier)]),
      fmt(m.trainable_percent, 2),
      ...optional.map(([, key, digits]) => fmt(m[key], digits)),
      ...typeColumns.map((type) => fmt(e.per_type?.[type]?.f1)),
    ];
    return isNer
      ? [...common, fmt(m.f1), fmt(m.precision), fmt(m.recall), fmt(m.f1_strict), fmt(m.token_accuracy), ...tail]
      : [...common, fmt(m.accuracy), fmt(m.macro_f1), fmt(m.f1), ...tail];
  });
  return table(headers, body, { numericFrom: 3, highlightRow: bestEntry ? rows.indexOf(bestEntry) : -1 });
}

/** [header, metrics key, decimals] of columns shown only when some entry has the metric. */
const OPTIONAL_COLUMNS: ReadonlyArray<readonly [string, string, number]> = [
  ['steps', 'steps', 0],
  ['best step', 'best_step', 0],
  ['train s', 'train_seconds', 0],
];

function perTypeTable(entries: readonly MetricsFile[]): string {
  const withTypes = entries.filter((e) => e.per_type && Object.keys(e.per_type).length > 0);
  if (withTypes.length === 0) return '<p class="empty">No per-type scores.</p>';
  // Long format (one row per model and type) stays narrow however many models there are.
  const rows = withTypes.flatMap((e) =>
    Object.entries(e.per_type!)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([type, r]) => [escapeHtml(e.name), escapeHtml(type), fmt(r.precision), fmt(r.recall), fmt(r.f1), String(r.support)]),
  );
  return table(['model', 'type', 'precision', 'recall', 'F1', 'support'], rows, { numericFrom: 2 });
}

/**
 * In-domain F1 of a fine-tuned entry restricted to `types`: its micro F1 when it has no other type,
 * else the one type's per-type F1 (seqeval's per-type F1 equals the F1 with every other type mapped
 * to O; test/domain-shift.test.ts), else null (several of several types: not derivable from per_type).
 */
export function inDomainF1(entry: MetricsFile | undefined, types: readonly string[]): number | null {
  if (!entry?.per_type) return null;
  const own = Object.keys(entry.per_type);
  if (own.length > 0 && own.every((t) => types.includes(t))) return entry.metrics.f1 ?? null;
  if (types.length === 1) return entry.per_type[types[0]!]?.f1 ?? null;
  return null;
}

/** Each fine-tuned model on its own test split next to the same weights on another corpus. */
function domainShiftTable(entries: readonly MetricsFile[], crossDomain: readonly MetricsFile[]): string {
  const rows = crossDomain.map((e) => {
    const types = e.entity_types ?? Object.keys(e.per_type ?? {}).sort();
    const own = entries.find((x) => x.kind === 'fine-tune' && x.name === e.name);
    const inDomain = inDomainF1(own, types);
    const cross = e.metrics.f1 ?? null;
    return [
      escapeHtml(e.name),
      escapeHtml(types.join(', ')),
      fmt(inDomain, 3),
      fmt(cross, 3),
      inDomain !== null && cross !== null ? fmt(cross - inDomain, 3) : '—',
      fmt(e.metrics.precision, 3),
      fmt(e.metrics.recall, 3),
      escapeHtml([e.dataset, e.split].filter(Boolean).join(', ')),
    ];
  });
  return table(['model', 'types scored', 'in-domain F1', 'cross-domain F1', 'Δ F1', 'cross-domain precision', 'cross-domain recall', 'cross-domain data'], rows, { numericFrom: 2 });
}

function calibrationTable(entries: readonly MetricsFile[]): string {
  const rows = entries.filter((e) => e.calibration?.token);
  if (rows.length === 0) return '<p class="empty">No calibration data.</p>';
  return table(
    ['model', 'ECE', 'MCE', 'Brier', 'entity ECE (mean p)', 'entity ECE (min p)', 'T', 'ECE after T', 'Brier after T'],
    rows.map((e) => {
      const c = e.calibration!;
      return [
        escapeHtml(e.name),
        fmt(c.token!.ece),
        fmt(c.token!.mce),
        fmt(c.token!.brier),
        fmt(c.entity_mean?.ece),
        fmt(c.entity_min?.ece),
        fmt(c.temperature, 3),
        fmt(c.after_temperature?.ece),
        fmt(c.after_temperature?.brier),
      ];
    }),
  );
}

export async function buildReport(input: ReportInput): Promise<string> {
  // Cross-domain entries only go to the domain-shift table: every other section is about the task's own data.
  const entries = input.entries.filter((e) => e.kind !== 'cross-domain');
  const crossDomain = input.entries.filter((e) => e.kind === 'cross-domain');
  const models = entries.filter((e) => e.kind !== 'forgetting');
  const colors = nameColors(entries.filter((e) => e.history?.length).map((e) => e.name));
  const confusionEntry = best(models.filter((e) => e.confusion)) ?? models.find((e) => e.confusion);
  const sections = [
    `<section id="summary"><h2>Run summary</h2>${summaryCards(entries)}</section>`,
    `<section id="metrics"><h2>Metrics per strategy</h2><p class="note">Entity-level scores are seqeval's (default mode = conlleval; strict = IOB2). The best row is highlighted.</p>${metricsTable(entries)}</section>`,
    `<section id="comparison"><h2>Fine-tuning against baselines</h2><div class="grid2">${await figure('method-comparison', methodComparisonSpec(entries), 'No scored entries.')}${await figure('few-shot', fewShotSpec(entries), 'No few-shot entries.')}</div></section>`,
    `<section id="training"><h2>Training</h2><div class="grid2">${await figure('loss-curves', lossCurvesSpec(entries, colors), 'No training history.')}${await figure('f1-per-epoch', f1PerEpochSpec(entries, colors), 'No validation F1 history.')}</div></section>`,
    `<section id="per-type"><h2>Per type and confusion matrix</h2>${perTypeTable(models)}${await figure('confusion', confusionEntry ? confusionSpec(confusionEntry) : null, 'No confusion matrix.')}</section>`,
    ...(crossDomain.length > 0
      ? [
          `<section id="domain-shift"><h2>Domain shift</h2><p class="note">The same fine-tuned weights on their own test split (in-domain) and on another corpus (cross-domain), scoring only the entity types listed: every other type is O in gold and predictions, labels matched by name. In-domain F1 of one type out of several is its per-type F1.</p>${domainShiftTable(entries, crossDomain)}</section>`,
        ]
      : []),
    `<section id="calibration"><h2>Calibration</h2><p class="note">Top-label, 15 equal-width bins. Entity confidence = mean or min token probability of the predicted span.</p>${calibrationTable(entries)}${await figure('reliability', reliabilitySpec(entries), 'No reliability data.')}</section>`,
    `<section id="forgetting"><h2>Forgetting</h2>${await figure('forgetting', forgettingSpec(entries), 'No forgetting measurements.')}</section>`,
    `<section id="dag"><h2>Pipeline</h2>${await figure('dag', input.dag ? dagSpec(input.dag) : null, 'No pipeline graph given.')}</section>`,
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(input.title)}</h1>${input.subtitle ? `<p>${escapeHtml(input.subtitle)}</p>` : ''}</header>
<main>
${sections.join('\n')}
</main>
<footer>Generated by TuneKit evaluation/report · plots rendered with Vega-Lite to inline SVG</footer>
</body>
</html>
`;
}
