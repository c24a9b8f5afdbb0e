/**
 * Top-label calibration from (confidence, correct) pairs: expected calibration error (ECE),
 * maximum calibration error (MCE), the top-label Brier score and the reliability-diagram bins.
 *
 * Bins are equal-width over [0, 1] (15 by default, as Guo et al. 2017): bin b holds confidences in
 * (b/B, (b+1)/B]; a confidence of exactly 0 goes to the first bin.
 * ECE = Σ_b (n_b / N) · |accuracy_b − confidence_b|; MCE = max over non-empty bins of the same gap.
 * Top-label Brier = mean (confidence − 1[correct])².
 */

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Fraction correct in the bin (0 when empty). */
  accuracy: number;
  /** Mean confidence in the bin (0 when empty). */
  confidence: number;
}

export interface CalibrationMetrics {
  ece: number;
  mce: number;
  /** Top-label Brier score (binary: confidence vs correctness). */
  brier: number;
  /** Mean confidence and accuracy over all samples. */
  confidence: number;
  accuracy: number;
  count: number;
  bins: ReliabilityBin[];
}

export const DEFAULT_BINS = 15;

export function binIndex(confidence: number, bins: number): number {
  return Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
}

export function calibrationMetrics(confidences: ArrayLike<number>, correct: ArrayLike<boolean | number>, bins = DEFAULT_BINS): CalibrationMetrics {
  if (confidences.length !== correct.length) throw new Error(`${confidences.length} confidences for ${correct.length} outcomes`);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`bins must be a positive integer, got ${bins}`);
  const counts = new Array<number>(bins).fill(0);
  const confSums = new Array<number>(bins).fill(0);
  const correctSums = new Array<number>(bins).fill(0);
  let brier = 0;
  let confTotal = 0;
  let correctTotal = 0;
  const n = confidences.length;
  for (let i = 0; i < n; i++) {
    const c = confidences[i]!;
    if (!(c >= 0 && c <= 1)) throw new Error(`confidence #${i} is ${c}, expected a probability in [0, 1]`);
    const y = correct[i] ? 1 : 0;
    const b = binIndex(c, bins);
    counts[b]! += 1;
    confSums[b]! += c;
    correctSums[b]! += y;
    brier += (c - y) ** 2;
    confTotal += c;
    correctTotal += y;
  }
  let ece = 0;
  let mce = 0;
  const binRows: ReliabilityBin[] = counts.map((count, b) => {
    const accuracy = count === 0 ? 0 : correctSums[b]! / count;
    const confidence = count === 0 ? 0 : confSums[b]! / count;
    if (count > 0) {
      const gap = Math.abs(accuracy - confidence);
      ece += (count / n) * gap;
      mce = Math.max(mce, gap);
    }
    return { lower: b / bins, upper: (b + 1) / bins, count, accuracy, confidence };
  });
  return {
    ece,
    mce,
    brier: n === 0 ? 0 : brier / n,
    confidence: n === 0 ? 0 : confTotal / n,
    accuracy: n === 0 ? 0 : correctTotal / n,
    count: n,
    bins: binRows,
  };
}

/**
 * Multi-class Brier score (Brier 1950): mean over samples of Σ_k (p_k − 1[k = gold])².
 * `probabilities` is row-major [n × k].
 */
export function multiclassBrier(probabilities: ArrayLike<number>, numClasses: number, gold: ArrayLike<number>): number {
  const n = gold.length;
  if (probabilities.length !== n * numClasses) throw new Error(`expected ${n * numClasses} probabilities, got ${probabilities.length}`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < numClasses; k++) {
      const p = probabilities[i * numClasses + k]!;
      total += (p - (k === gold[i] ? 1 : 0)) ** 2;
    }
  }
  return n === 0 ? 0 : total / n;
}
