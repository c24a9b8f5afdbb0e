/**
 * The optimisation loop: deterministic batches, one `tf.variableGrads` per micro-batch, gradient
 * accumulation, global-norm clipping, AdamW with a schedule, periodic evaluation, best-model
 * tracking, early stopping, and checkpoints that make a killed run resume to the same weights.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BertModel } from '@tunekit/model-loader';
import { assignTensors, loadTensors } from '@tunekit/strategies';
import { existsSync } from 'node:fs';
import { gatherRows, type Batch, type HostBatch } from '../data/batch.ts';
import { epochBatches } from '../data/order.ts';
import { deriveSeed } from '@tunekit/pipeline/sdk';
import { rowLengths, type Rows } from '../data/rows.ts';
import { learningRateAt, warmupSteps } from '../optim/schedule.ts';
import { bestWeightsPath, loadCheckpoint, saveCheckpoint, saveTensorsAtomic } from './checkpoint.ts';
import { initialEarlyStopping, recordEvaluation, shouldStop, type EarlyStoppingState } from './early-stopping.ts';
import type { LoopOptions } from './options.ts';
import { singleProcessSteps, trainableNames as sortedTrainableNames, type MicroBatch, type StepEngine } from './step-engine.ts';

export type EvaluationResult = Record<string, number>;

export interface EvaluationRecord extends EvaluationResult {
  step: number;
  epoch: number;
  train_loss: number;
}

export interface TrainTask {
  rows: Rows;
  /** Host-side batch preparation (e.g. MLM masking), seeded per micro-batch. */
  prepare?(host: HostBatch, seed: number): HostBatch;
  /** Forward + loss of one batch, inside the gradient tape. */
  loss(model: BertModel, batch: Batch, seed: number): tf.Scalar;
  /** Evaluate on held-out data (model in inference mode). */
  evaluate?(model: BertModel): Promise<EvaluationResult>;
}

export interface LoopHooks {
  onStepMetrics?(step: number, metrics: Record<string, number>): void;
  onEvaluation?(record: EvaluationRecord): void;
  /** Every logged step: the step's loss and the tokens/s since the previous logged step. */
  onProgress?(step: number, total: number, detail: { loss: number; tokensPerSecond: number }): void;
  info?(message: string): void;
}

export interface LoopState {
  step: number;
  epoch: number;
  /** Next micro-batch index within `epoch`. */
  batchInEpoch: number;
  early: EarlyStoppingState;
  history: EvaluationRecord[];
  /** Sum and count of micro-batch losses since the last evaluation (train_loss of the next record). */
  lossSum: number;
  lossCount: number;
  stopped: boolean;
  tokens: number;
}

export interface LoopResult {
  state: LoopState;
  totalSteps: number;
  seconds: number;
  tokensPerSecond: number;
  resumedFromStep: number | null;
}

export function planSteps(numRows: number, options: LoopOptions): { microPerEpoch: number; stepsPerEpoch: number; totalSteps: number } {
  const microPerEpoch = Math.ceil(numRows / options.batchSize);
  const stepsPerEpoch = Math.max(1, Math.ceil(microPerEpoch / options.gradientAccumulationSteps));
  const totalSteps = options.maxSteps > 0 ? options.maxSteps : options.epochs * stepsPerEpoch;
  return { microPerEpoch, stepsPerEpoch, totalSteps };
}

/**
 * Trains `model` on `task`. `engine` computes the optimizer steps: by default in this process;
 * `dataParallelSteps` (../parallel/steps.ts) spreads them over worker threads. The caller closes an
 * engine it passes; the default one is closed here.
 */
export async function trainLoop(model: BertModel, task: TrainTask, options: LoopOptions, scratchDir: string | null, configHash: string, hooks: LoopHooks = {}, engine?: StepEngine): Promise<LoopResult> {
  const trainableNames = sortedTrainableNames(model);
  const steps = engine ?? singleProcessSteps(model, (m, batch, seed) => task.loss(m, batch, seed), task.rows.labelsPerToken, options);
  const checkpointing = scratchDir !== null && (options.checkpointSteps > 0 || (options.checkpointMinutes ?? 0) > 0);
  const lengths = rowLengths(task.rows);
  const { microPerEpoch, totalSteps } = planSteps(task.rows.numRows, options);
  const schedule = {
    kind: options.schedule,
    learningRate: options.learningRate,
    warmupSteps: warmupSteps(totalSteps, options.warmupSteps, options.warmupRatio),
    totalSteps,
  };
  let state: LoopState = {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    early: initialEarlyStopping(),
    history: [],
    lossSum: 0,
    lossCount: 0,
    stopped: false,
    tokens: 0,
  };
  let resumedFromStep: number | null = null;
  if (scratchDir && checkpointing) {
    const checkpoint = await loadCheckpoint<LoopState>(scratchDir, configHash);
    if (checkpoint) {
      steps.restore(checkpoint.state.step, checkpoint.weights, checkpoint.optimizer);
      state = checkpoint.state;
      resumedFromStep = checkpoint.step;
      hooks.info?.(`resuming ${options.name ?? 'training'} from step ${checkpoint.step}`);
    }
  }
  const trainableWeights = (): Array<[string, tf.Tensor]> => trainableNames.map((n) => [n, model.params.get(n)!]);

  const evaluate = async (): Promise<void> => {
    if (!task.evaluate) return;
    steps.syncModel();
    const result = await task.evaluate(model);
    const record: EvaluationRecord = {
      step: state.step,
      epoch: state.epoch + state.batchInEpoch / microPerEpoch,
      train_loss: state.lossCount > 0 ? state.lossSum / state.lossCount : NaN,
      ...result,
    };
    state.lossSum = 0;
    state.lossCount = 0;
    state.history.push(record);
    hooks.onEvaluation?.(record);
    const value = result[options.metric];
    if (value === undefined) throw new Error(`training: evaluation produced no metric "${options.metric}" (has: ${Object.keys(result).join(', ')})`);
    const improved = recordEvaluation(state.early, value, state.step, options.metricMode, options.threshold);
    if (improved && options.keepBest && scratchDir) await saveTensorsAtomic(bestWeightsPath(scratchDir), trainableWeights());
    if (shouldStop(state.early, options.patience)) {
      state.stopped = true;
      hooks.info?.(`early stopping at step ${state.step}: ${options.metric} did not improve for ${options.patience} evaluations`);
    }
  };

  const started = performance.now();
  let windowStart = performance.now();
  let windowTokens = 0;
  let lastEvaluatedStep = state.history.at(-1)?.step ?? -1;
  let lastCheckpoint = performance.now();
  while (!state.stopped && state.step < totalSteps) {
    const batches = epochBatches(lengths, options.batchSize, options.seed, state.epoch, options.groupByLength);
    // One optimizer step = up to `gradientAccumulationSteps` micro-batches (fewer at the end of an epoch).
    const micro: MicroBatch[] = batches.slice(state.batchInEpoch, state.batchInEpoch + options.gradientAccumulationSteps).map((indices, m) => {
      const seed = deriveSeed(options.seed, state.step, m);
      const host = gatherRows(task.rows, indices, lengths);
      return { indices, seed, host: task.prepare ? task.prepare(host, seed) : host };
    });
    const lr = learningRateAt(state.step, schedule);
    const { loss: stepLoss, gradNorm } = await steps.step(micro, lr);
    for (const { host } of micro) {
      state.tokens += host.tokens;
      windowTokens += host.tokens;
    }
    state.step += 1;
    state.batchInEpoch += micro.length;
    state.lossSum += stepLoss;
    state.lossCount += 1;
    const epochDone = state.batchInEpoch >= microPerEpoch;

    // Progress every step (the stage process throttles what it sends), so that a slow logging
    // window never leaves the console silent for longer than its progress interval.
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const tokensPerSecond = windowSeconds > 0 ? windowTokens / windowSeconds : 0;
    hooks.onProgress?.(state.step, totalSteps, { loss: stepLoss, tokensPerSecond });
    if (options.loggingSteps > 0 && (state.step % options.loggingSteps === 0 || state.step === totalSteps)) {
      hooks.onStepMetrics?.(state.step, { loss: stepLoss, learning_rate: lr, grad_norm: gradNorm, tokens_per_s: tokensPerSecond });
      windowStart = performance.now();
      windowTokens = 0;
    }
    const evalNow =
      (options.evaluation === 'epoch' && epochDone) || (options.evaluation === 'steps' && options.evalSteps > 0 && state.step % options.evalSteps === 0);
    if (epochDone) {
      state.epoch += 1;
      state.batchInEpoch = 0;
    }
    if (evalNow || (options.evaluation !== 'no' && state.step === totalSteps && lastEvaluatedStep !== state.step)) {
      await evaluate();
      lastEvaluatedStep = state.step;
    }
    const minutes = options.checkpointMinutes ?? 0;
    const due =
      (options.checkpointSteps > 0 && state.step % options.checkpointSteps === 0) || (minutes > 0 && performance.now() - lastCheckpoint >= minutes * 60_000) || state.step === totalSteps || state.stopped;
    if (scratchDir && checkpointing && due) {
      steps.syncModel();
      const optimizerState = steps.optimizerState();
      try {
        await saveCheckpoint(scratchDir, configHash, state.step, state, trainableWeights(), optimizerState.tensors);
      } finally {
        optimizerState.release();
      }
      lastCheckpoint = performance.now();
    }
  }
  steps.syncModel();
  const seconds = (performance.now() - started) / 1000;
  if (options.keepBest && scratchDir && state.early.bestStep !== null && existsSync(bestWeightsPath(scratchDir))) {
    assignTensors(model.params, await loadTensors(bestWeightsPath(scratchDir)), 'best weights');
    hooks.info?.(`restored the best weights (step ${state.early.bestStep}, ${options.metric} = ${state.early.bestValue})`);
  }
  if (!engine) await steps.close();
  return { state, totalSteps, seconds, tokensPerSecond: seconds > 0 ? state.tokens / seconds : 0, resumedFromStep };
}
