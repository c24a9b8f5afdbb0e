/** Options of the optimisation loop shared by fine-tuning and MLM pre-training. */
import type { ScheduleKind } from '../optim/schedule.ts';
import type { MetricMode } from './early-stopping.ts';

export interface LoopOptions {
  seed: number;
  batchSize: number;
  gradientAccumulationSteps: number;
  epochs: number;
  /** > 0: stop after this many optimizer steps (overrides epochs). */
  maxSteps: number;
  learningRate: number;
  schedule: ScheduleKind;
  warmupSteps: number;
  warmupRatio: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 0 disables clipping. */
  maxGradNorm: number;
  evaluation: 'epoch' | 'steps' | 'no';
  evalSteps: number;
  /** Key of the evaluation result that selects the best model and drives early stopping. */
  metric: string;
  metricMode: MetricMode;
  /** 0 disables early stopping. */
  patience: number;
  threshold: number;
  keepBest: boolean;
  /** 0 disables checkpoints. */
  checkpointSteps: number;
  groupByLength: boolean;
  loggingSteps: number;
}
