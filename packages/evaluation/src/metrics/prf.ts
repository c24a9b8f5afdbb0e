/**
 * Precision / recall / F1 from counts, and their micro / macro / weighted averages, with the
 * arithmetic of seqeval 1.2.2 (`_precision_recall_fscore_support`, zero_division='warn' → 0):
 * a 0/0 ratio is 0; F1 = 2·p·r / (p + r), 0 when p + r = 0; macro is the unweighted mean over
 * the label set (NaN when the set is empty, as numpy's mean of nothing); weighted uses the true
 * support as weights and is 0 when the total support is 0.
 */

export interface Counts {
  /** Correct predictions (true positives). */
  correct: number;
  /** Predictions made (true + false positives). */
  predicted: number;
  /** Gold instances (true positives + false negatives): the support. */
  support: number;
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  /** Gold instances counted (sum over labels for averages). */
  support: number;
}

export interface PerLabelPrf extends Prf {
  predicted: number;
  correct: number;
}

export interface AveragedPrf {
  micro: Prf;
  macro: Prf;
  weighted: Prf;
  /** Per label, labels sorted by code point (Python's `sorted`). */
  perLabel: Record<string, PerLabelPrf>;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function f1Of(precision: number, recall: number): number {
  const denominator = precision + recall;
  return denominator === 0 ? 0 : (2 * precision * recall) / denominator;
}

export function prfFromCounts(counts: Counts): PerLabelPrf {
  const precision = ratio(counts.correct, counts.predicted);
  const recall = ratio(counts.correct, counts.support);
  return { precision, recall, f1: f1Of(precision, recall), support: counts.support, predicted: counts.predicted, correct: counts.correct };
}

/** Python's `sorted()` on str: code-point order (not locale order). */
export function sortCodePoints(labels: Iterable<string>): string[] {
  return [...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function averagePrf(countsByLabel: Map<string, Counts>): AveragedPrf {
  const labels = sortCodePoints(countsByLabel.keys());
  const perLabel: Record<string, PerLabelPrf> = {};
  const total: Counts = { correct: 0, predicted: 0, support: 0 };
  for (const label of labels) {
    const counts = countsByLabel.get(label)!;
    perLabel[label] = prfFromCounts(counts);
    total.correct += counts.correct;
    total.predicted += counts.predicted;
    total.support += counts.support;
  }
  const rows = labels.map((label) => perLabel[label]!);
  const mean = (pick: (row: Prf) => number) => rows.reduce((sum, row) => sum + pick(row), 0) / rows.length;
  const weightedMean = (pick: (row: Prf) => number) =>
    total.support === 0 ? 0 : rows.reduce((sum, row) => sum + pick(row) * row.support, 0) / total.support;
  const { predicted: _p, correct: _c, ...micro } = prfFromCounts(total);
  return {
    micro,
    macro: { precision: mean((r) => r.precision), recall: mean((r) => r.recall), f1: mean((r) => r.f1), support: total.support },
    weighted: {
      precision: weightedMean((r) => r.precision),
      recall: weightedMean((r) => r.recall),
      f1: weightedMean((r) => r.f1),
      support: total.support,
    },
    perLabel,
  };
}
