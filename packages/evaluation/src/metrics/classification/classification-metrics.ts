/**
 * Single-label classification metrics with scikit-learn's definitions: accuracy, per-class
 * precision / recall / F1 / support, micro and macro (and weighted) averages over the given label
 * set, the confusion matrix (rows = gold, columns = predicted) and, when probabilities are given,
 * the mean negative log-likelihood of the gold label (the cross-entropy loss).
 */
import { averagePrf, type AveragedPrf, type Counts } from '../prf.ts';

export interface ClassificationMetrics extends AveragedPrf {
  accuracy: number;
  /** Label names in matrix order. */
  labels: string[];
  /** confusion[gold][pred] = count. */
  confusion: number[][];
  /** Mean −log p(gold) when probabilities were given. */
  loss?: number;
  count: number;
}

export interface ClassificationInput {
  labels: readonly string[];
  gold: readonly string[];
  pred: readonly string[];
  /** Optional probability rows (label order = `labels`), for the loss. */
  probabilities?: readonly (readonly number[])[];
}

/** Smallest probability used inside log(), so a confident mistake costs a finite 36.8 nats (float32 tiny-ish). */
export const MIN_PROBABILITY = 1e-16;

export function classificationMetrics(input: ClassificationInput): ClassificationMetrics {
  const { labels, gold, pred, probabilities } = input;
  if (gold.length !== pred.length) throw new Error(`gold has ${gold.length} rows but predictions have ${pred.length}`);
  const index = new Map(labels.map((label, i) => [label, i]));
  const indexOf = (label: string, row: number, what: string) => {
    const i = index.get(label);
    if (i === undefined) throw new Error(`row ${row}: ${what} label "${label}" is not in the label set [${labels.join(', ')}]`);
    return i;
  };
  const confusion = labels.map(() => labels.map(() => 0));
  let correct = 0;
  gold.forEach((g, row) => {
    const gi = indexOf(g, row, 'gold');
    const pi = indexOf(pred[row]!, row, 'predicted');
    confusion[gi]![pi]! += 1;
    if (gi === pi) correct += 1;
  });
  const counts = new Map<string, Counts>();
  labels.forEach((label, i) => {
    const predicted = confusion.reduce((sum, r) => sum + r[i]!, 0);
    const support = confusion[i]!.reduce((sum, v) => sum + v, 0);
    counts.set(label, { correct: confusion[i]![i]!, predicted, support });
  });
  const result: ClassificationMetrics = {
    accuracy: gold.length === 0 ? 0 : correct / gold.length,
    ...averagePrf(counts),
    labels: [...labels],
    confusion,
    count: gold.length,
  };
  if (probabilities) {
    if (probabilities.length !== gold.length) throw new Error(`${probabilities.length} probability rows for ${gold.length} rows`);
    let nll = 0;
    gold.forEach((g, row) => {
      const p = probabilities[row]![indexOf(g, row, 'gold')]!;
      nll -= Math.log(Math.max(p, MIN_PROBABILITY));
    });
    result.loss = gold.length === 0 ? 0 : nll / gold.length;
  }
  return result;
}
