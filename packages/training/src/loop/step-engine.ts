/**
 * What computes one optimizer step for the loop: in this process (`singleProcessSteps`: one
 * `tf.variableGrads` per micro-batch, accumulate, clip, AdamW) or over data-parallel worker threads
 * (`../parallel/steps.ts`). The loop owns data order, schedule, evaluation and checkpoints; the
 * engine owns gradients and optimizer state.
 */
import { accumulateGrads } from './accumulate-grads.ts';
import * as tf from '@tensorflow/tfjs-core';
import type { BertModel } from '@tunekit/model-loader';
import { assignTensors, type LoadedTensor } from '@tunekit/strategies';
import { disposeBatch, toBatch, type Batch, type HostBatch } from '../data/batch.ts';
import { clipGradients } from '../optim/clip.ts';
import { NamedAdamW } from '../optim/optimizer.ts';
import type { LoopOptions } from './options.ts';

/** One micro-batch of an optimizer step, prepared on the host (rows gathered, MLM masks drawn). */
export interface MicroBatch {
  indices: number[];
  host: HostBatch;
  /** Seed of its dropout (and masking): deriveSeed(seed, step, micro-batch index). */
  seed: number;
}

export interface StepOutcome {
  /** Mean over the step's micro-batches of their mean loss. */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

export interface StepEngine {
  /** Human-readable, for the log (e.g. "2 data-parallel replicas"). */
  readonly description: string;
  step(micro: MicroBatch[], lr: number): Promise<StepOutcome>;
  /** Bring the model's trainable parameters up to date (before evaluation, best weights, checkpoints, output). */
  syncModel(): void;
  /** Optimizer moments as `<name>.exp_avg` / `<name>.exp_avg_sq` tensors, valid until `release()`. */
  optimizerState(): { tensors: Array<[string, tf.Tensor]>; release(): void };
  /** Resume: weights and moments of a checkpoint taken after `step` optimizer steps. */
  restore(step: number, weights: Map<string, LoadedTensor>, optimizer: Map<string, LoadedTensor>): void;
  close(): Promise<void>;
}

export interface LossFn {
  (model: BertModel, batch: Batch, seed: number): tf.Scalar;
}

/** Sorted names of the trainable parameters (what the optimizer updates and checkpoints hold). */
export function trainableNames(model: BertModel): string[] {
  const names = [...model.trainable].filter((n) => model.params.has(n)).sort();
  if (names.length === 0) throw new Error('training: the model has no trainable parameters');
  return names;
}

/** Every step in this process, on the model itself (the loop's behaviour before data parallelism, unchanged). */
export function singleProcessSteps(model: BertModel, loss: LossFn, labelsPerToken: boolean, options: LoopOptions): StepEngine {
  const names = trainableNames(model);
  const byVariableName = new Map<string, string>();
  for (const [name, variable] of model.params) {
    variable.trainable = model.trainable.has(name);
    byVariableName.set(variable.name, name);
  }
  const variables = names.map((n) => model.params.get(n)!);
  const optimizer = new NamedAdamW(model.params, { beta1: options.beta1, beta2: options.beta2, eps: options.eps, weightDecay: options.weightDecay });
  return {
    description: 'one process',
    async step(micro, lr) {
      const grads = new Map<string, tf.Tensor>();
      let stepLoss = 0;
      for (const { indices, host, seed } of micro) {
        const batch = toBatch(host, indices, labelsPerToken);
        const { value, grads: g } = tf.variableGrads(() => tf.div(loss(model, batch, seed), micro.length) as tf.Scalar, variables);
        stepLoss += value.dataSync()[0]!;
        value.dispose();
        accumulateGrads(grads, g, byVariableName);
        disposeBatch(batch);
      }
      const gradNorm = clipGradients(grads, options.maxGradNorm);
      optimizer.apply(grads, lr);
      tf.dispose([...grads.values()]);
      return { loss: stepLoss, gradNorm };
    },
    syncModel: () => undefined,
    optimizerState: () => ({ tensors: optimizer.stateTensors(), release: () => undefined }),
    restore(step, weights, moments) {
      assignTensors(model.params, weights, 'checkpoint weights');
      optimizer.loadState(step, moments);
    },
    close: async () => optimizer.dispose(),
  };
}
