/** Best-metric tracking and early stopping (HF EarlyStoppingCallback semantics: improvement must exceed the threshold). */
export type MetricMode = 'max' | 'min';

export interface EarlyStoppingState {
  bestValue: number | null;
  bestStep: number | null;
  /** Evaluations in a row without improvement. */
  badEvaluations: number;
}

export function initialEarlyStopping(): EarlyStoppingState {
  return { bestValue: null, bestStep: null, badEvaluations: 0 };
}

export function isImprovement(value: number, best: number | null, mode: MetricMode, threshold: number): boolean {
  if (best === null) return Number.isFinite(value);
  return mode === 'max' ? value > best + threshold : value < best - threshold;
}

/** Record one evaluation; returns whether it is the new best. */
export function recordEvaluation(state: EarlyStoppingState, value: number, step: number, mode: MetricMode, threshold: number): boolean {
  if (isImprovement(value, state.bestValue, mode, threshold)) {
    state.bestValue = value;
    state.bestStep = step;
    state.badEvaluations = 0;
    return true;
  }
  state.badEvaluations += 1;
  return false;
}

export function shouldStop(state: EarlyStoppingState, patience: number): boolean {
  return patience > 0 && state.badEvaluations >= patience;
}
