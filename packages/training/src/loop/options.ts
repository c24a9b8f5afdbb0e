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
  /** 0 disables step-based checkpoints. */
  checkpointSteps: number;
  /** > 0: also checkpoint when this many minutes passed since the last checkpoint (default 0). Checkpoints are off when both are 0. */
  checkpointMinutes?: number;
  /** What the log calls the training ("resuming <name> from step N"); default "training". */
  name?: string;
  groupByLength: boolean;
  loggingSteps: number;
}
