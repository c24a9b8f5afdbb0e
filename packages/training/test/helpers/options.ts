import type { LoopOptions } from '../../src/loop/options.ts';

export function loopOptions(overrides: Partial<LoopOptions> = {}): LoopOptions {
  return {
    seed: 42,
    batchSize: 8,
    gradientAccumulationSteps: 1,
    epochs: 2,
    maxSteps: 0,
    learningRate: 1e-3,
    schedule: 'linear',
    warmupSteps: 2,
    warmupRatio: 0,
    weightDecay: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    maxGradNorm: 1,
    evaluation: 'epoch',
    evalSteps: 0,
    metric: 'eval_f1',
    metricMode: 'max',
    patience: 0,
    threshold: 0,
    keepBest: false,
    checkpointSteps: 0,
    groupByLength: true,
    loggingSteps: 1,
    ...overrides,
  };
}
