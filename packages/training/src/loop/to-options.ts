import type { LoopOptions } from './options.ts';
import type { LoopParams } from './params-schema.ts';
import type { MetricMode } from './early-stopping.ts';

export function loopOptionsFromParams(p: LoopParams, seed: number, metric: string, metricMode: MetricMode): LoopOptions {
  return {
    seed,
    batchSize: p.batch_size,
    gradientAccumulationSteps: p.gradient_accumulation_steps,
    epochs: p.epochs,
    maxSteps: p.max_steps,
    learningRate: p.learning_rate,
    schedule: p.schedule,
    warmupSteps: p.warmup_steps,
    warmupRatio: p.warmup_ratio,
    weightDecay: p.weight_decay,
    beta1: p.adam_beta1,
    beta2: p.adam_beta2,
    eps: p.adam_epsilon,
    maxGradNorm: p.max_grad_norm,
    evaluation: p.evaluation,
    evalSteps: p.eval_steps,
    metric,
    metricMode,
    patience: p.early_stopping_patience,
    threshold: p.early_stopping_threshold,
    keepBest: p.keep_best,
    checkpointSteps: p.checkpoint_steps,
    checkpointMinutes: p.checkpoint_minutes ?? 0,
    groupByLength: p.group_by_length,
    loggingSteps: p.logging_steps,
  };
}
