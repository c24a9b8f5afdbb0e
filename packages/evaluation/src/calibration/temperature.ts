/**
 * Temperature scaling (Guo et al. 2017): one scalar T > 0 dividing the logits, fitted on the
 * validation split by minimising the mean negative log-likelihood.
 *
 * Why golden-section search on u = log T: the NLL is convex in β = 1/T (a log-sum-exp of terms
 * linear in β minus a linear term), so it is unimodal in any monotone reparametrisation such as
 * u = log T. Golden-section search needs no gradient, cannot step to T ≤ 0 and converges for any
 * unimodal function; it is 20 lines and exact to the stated tolerance, so a library (and an LBFGS
 * with line search) would add nothing for a 1-D problem.
 */
import { meanNll } from './softmax.ts';

export interface TemperatureFit {
  temperature: number;
  nllBefore: number;
  nllAfter: number;
  /** Function evaluations used. */
  evaluations: number;
}

export interface TemperatureOptions {
  /** Search interval for T (default [0.05, 20]). */
  min?: number;
  max?: number;
  /** Stop when the bracket in log T is narrower than this (default 1e-6). */
  tolerance?: number;
}

const INV_PHI = (Math.sqrt(5) - 1) / 2;

export function goldenSectionMinimize(f: (x: number) => number, lo: number, hi: number, tolerance: number): { x: number; evaluations: number } {
  let a = lo;
  let b = hi;
  let c = b - INV_PHI * (b - a);
  let d = a + INV_PHI * (b - a);
  let fc = f(c);
  let fd = f(d);
  let evaluations = 2;
  while (b - a > tolerance) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INV_PHI * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INV_PHI * (b - a);
      fd = f(d);
    }
    evaluations += 1;
  }
  return { x: (a + b) / 2, evaluations };
}

/** Fit T on `logits` ([n × k], row-major) and gold label ids. */
export function fitTemperature(logits: ArrayLike<number>, numClasses: number, gold: ArrayLike<number>, options: TemperatureOptions = {}): TemperatureFit {
  const { min = 0.05, max = 20, tolerance = 1e-6 } = options;
  if (gold.length === 0) throw new Error('temperature scaling needs at least one validation example');
  if (logits.length !== gold.length * numClasses) throw new Error(`expected ${gold.length * numClasses} logits, got ${logits.length}`);
  const nllAt = (u: number) => meanNll(logits, numClasses, gold, Math.exp(u));
  const { x, evaluations } = goldenSectionMinimize(nllAt, Math.log(min), Math.log(max), tolerance);
  const temperature = Math.exp(x);
  return { temperature, nllBefore: meanNll(logits, numClasses, gold, 1), nllAfter: meanNll(logits, numClasses, gold, temperature), evaluations };
}
