/**
 * Learning-rate schedules with Hugging Face `transformers` semantics (get_linear_schedule_with_warmup,
 * get_cosine_schedule_with_warmup, get_constant_schedule_with_warmup): the rate used by optimizer
 * step k (0-based) is lr · λ(k).
 */
export type ScheduleKind = 'linear' | 'cosine' | 'constant';

export interface ScheduleOptions {
  kind: ScheduleKind;
  learningRate: number;
  warmupSteps: number;
  totalSteps: number;
}

export function learningRateAt(step: number, o: ScheduleOptions): number {
  if (step < o.warmupSteps) return (o.learningRate * step) / Math.max(1, o.warmupSteps);
  const decaySteps = Math.max(1, o.totalSteps - o.warmupSteps);
  const progress = (step - o.warmupSteps) / decaySteps;
  switch (o.kind) {
    case 'constant':
      return o.learningRate;
    case 'linear':
      return o.learningRate * Math.max(0, (o.totalSteps - step) / decaySteps);
    case 'cosine':
      return o.learningRate * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
    default:
      throw new Error(`unknown learning-rate schedule "${o.kind as string}"`);
  }
}

/** Warmup as steps, or as a ratio of the total (HF: ceil(ratio · total)); the ratio wins when > 0. */
export function warmupSteps(totalSteps: number, steps: number, ratio: number): number {
  return ratio > 0 ? Math.ceil(ratio * totalSteps) : steps;
}
