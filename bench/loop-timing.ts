/**
 * What the training-throughput benches share: loop options for a timed run (no evaluation, no
 * checkpoints, a metric line per step) and the measurement itself (the stages' own `trainLoop`,
 * on data-parallel workers when a spec is given; the median tokens/s after the warm-up steps).
 */
import { selectBackend } from '@tunekit/compute';
import type { BertModel } from '@tunekit/model-loader';
import { trainLoop, type TrainTask } from '../packages/training/src/index.ts';
import type { LoopOptions } from '../packages/training/src/loop/options.ts';
import { dataParallelSteps, type DataParallelSpec } from '../packages/training/src/parallel/steps.ts';

export const timedLoopOptions = (batch: number, steps: number, learningRate: number): LoopOptions => ({
  seed: 1, batchSize: batch, gradientAccumulationSteps: 1, epochs: 1, maxSteps: steps, learningRate, schedule: 'linear', warmupSteps: 0, warmupRatio: 0,
  weightDecay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, maxGradNorm: 1, evaluation: 'no', evalSteps: 0, metric: 'eval_loss', metricMode: 'min', patience: 0, threshold: 0,
  keepBest: false, checkpointSteps: 0, groupByLength: false, loggingSteps: 1,
});

/** Train `model` on `task` (disposed after), print each measured step's tokens/s and return the median. */
export async function medianTokensPerSecond(label: string, model: BertModel, task: TrainTask, options: LoopOptions, warmup: number, parallel?: DataParallelSpec): Promise<number> {
  const backend = await selectBackend();
  const engine = parallel ? await dataParallelSteps(model, task, options, parallel) : undefined;
  const perStep: number[] = [];
  try {
    await trainLoop(model, task, options, null, 'bench', { onStepMetrics: (_s, m) => perStep.push(m.tokens_per_s!) }, engine);
  } finally {
    await engine?.close();
    model.dispose();
  }
  const measured = perStep.slice(warmup).sort((a, b) => a - b);
  process.stderr.write(`${label} (${backend.backend}${backend.gemm ? `, ${backend.gemm}` : ''}): ${measured.map((v) => Math.round(v)).join(' ')} tok/s\n`);
  return measured[Math.floor(measured.length / 2)]!;
}
