/** metrics.json contents for classification predictions (JSONL rows with gold labels). */
import { calibrationMetrics, DEFAULT_BINS, multiclassBrier } from '../calibration/reliability.ts';
import type { MetricsFile } from '../metrics-file/schema.ts';
import { classificationMetrics } from '../metrics/classification/index.ts';
import type { ClassificationPrediction } from '../predictions/classification-predictions.ts';

export type ClassificationEvaluation = Pick<MetricsFile, 'metrics' | 'per_type' | 'confusion' | 'calibration'>;

export function evaluateClassificationPredictions(
  rows: readonly ClassificationPrediction[],
  options: { bins?: number; labels?: string[]; file?: string } = {},
): ClassificationEvaluation {
  const where = options.file ?? 'predictions';
  rows.forEach((row, i) => {
    if (row.gold === undefined) throw new Error(`${where}: row ${i + 1} has no "gold" label; evaluation needs gold labels`);
  });
  const labels = options.labels?.length ? options.labels : [...new Set(rows.flatMap((r) => [r.gold!, r.pred]))].sort();
  const withProbabilities = rows.length > 0 && rows.every((r) => r.probabilities);
  const probabilities = withProbabilities ? rows.map((r) => labels.map((l) => r.probabilities![l] ?? 0)) : undefined;
  const m = classificationMetrics({ labels, gold: rows.map((r) => r.gold!), pred: rows.map((r) => r.pred), probabilities });
  const token = calibrationMetrics(
    rows.map((r) => r.confidence),
    rows.map((r) => r.gold === r.pred),
    options.bins ?? DEFAULT_BINS,
  );
  const metrics: MetricsFile['metrics'] = {
    accuracy: m.accuracy,
    f1: m.micro.f1,
    macro_f1: m.macro.f1,
    weighted_f1: m.weighted.f1,
    precision: m.micro.precision,
    recall: m.micro.recall,
    ece: token.ece,
    mce: token.mce,
    brier: probabilities ? multiclassBrier(probabilities.flat(), labels.length, rows.map((r) => labels.indexOf(r.gold!))) : token.brier,
    examples: rows.length,
  };
  if (m.loss !== undefined) metrics.loss = m.loss;
  const per_type: NonNullable<MetricsFile['per_type']> = {};
  for (const [label, r] of Object.entries(m.perLabel)) per_type[label] = { precision: r.precision, recall: r.recall, f1: r.f1, support: r.support };
  return { metrics, per_type, confusion: { labels: m.labels, matrix: m.confusion }, calibration: { token } };
}
