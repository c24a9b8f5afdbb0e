/**
 * The loop's optimizer steps over data-parallel worker threads (`@tunekit/compute`'s
 * `startDataParallel`): each replica rebuilds the model and computes the gradients of its rows of
 * every micro-batch; gradients are summed in shared memory, clipped by the global norm, and each
 * replica AdamW-updates the element range it owns. Only the synchronised parameters (trainable and
 * receiving a gradient: for LoRA / adapters / partial, just those) travel. This process (the
 * coordinator) keeps the loop: data order, masking, schedule, evaluation on its own copy of the
 * model, checkpoints.
 */
import * as tf from '@tensorflow/tfjs-core';
import { startDataParallel } from '@tunekit/compute';
import type { BertModel } from '@tunekit/model-loader';
import { deriveSeed } from '@tunekit/pipeline/sdk';
import { assignTensors } from '@tunekit/strategies';
import { countLabels, disposeBatch, gatherRows, sliceHostBatch, toBatch } from '../data/batch.ts';
import { epochBatches } from '../data/order.ts';
import { rowLengths } from '../data/rows.ts';
import type { LoopOptions } from '../loop/options.ts';
import { trainableNames, type StepEngine } from '../loop/step-engine.ts';
import type { TrainTask } from '../loop/train-loop.ts';
import type { ReplicaModelSpec, ReplicaOptions, ReplicaShard } from './spec.ts';

export interface DataParallelSpec {
  /** Replicas (worker threads), ≥ 2 (1 is the single-process loop). */
  workers: number;
  model: ReplicaModelSpec;
  /** The workers' environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Trainable parameters that receive a gradient, found on the first micro-batch of epoch 0: the
 * single-process loop leaves a parameter without a gradient untouched (no decay either), so it is
 * not synchronised.
 */
function gradientNames(model: BertModel, task: TrainTask, options: LoopOptions): string[] {
  const names = trainableNames(model);
  const lengths = rowLengths(task.rows);
  const indices = epochBatches(lengths, options.batchSize, options.seed, 0, options.groupByLength)[0]!;
  const seed = deriveSeed(options.seed, 0, 0);
  let host = gatherRows(task.rows, indices, lengths);
  if (task.prepare) host = task.prepare(host, seed);
  const batch = toBatch(host, indices, task.rows.labelsPerToken);
  const byVariable = new Map(names.map((n) => [model.params.get(n)!.name, n]));
  try {
    const { value, grads } = tf.variableGrads(() => task.loss(model, batch, seed), names.map((n) => model.params.get(n)!));
    const found = Object.entries(grads).filter(([, g]) => g).map(([v]) => byVariable.get(v)!);
    tf.dispose([value, ...Object.values(grads)]);
    return found.sort();
  } finally {
    disposeBatch(batch);
  }
}

export async function dataParallelSteps(model: BertModel, task: TrainTask, options: LoopOptions, spec: DataParallelSpec): Promise<StepEngine> {
  if (!Number.isInteger(spec.workers) || spec.workers < 2) throw new Error(`training: data-parallel needs at least 2 workers, got ${spec.workers}`);
  const names = gradientNames(model, task, options);
  const labelsPerToken = task.rows.labelsPerToken;
  const replicaOptions: ReplicaOptions = { model: spec.model, names, labelsPerToken };
  const dp = await startDataParallel({
    module: new URL('./replica.ts', import.meta.url),
    workers: spec.workers,
    options: replicaOptions,
    optimizer: { lr: options.learningRate, beta1: options.beta1, beta2: options.beta2, eps: options.eps, weightDecay: options.weightDecay, maxGradNorm: options.maxGradNorm },
    env: spec.env,
  });
  const current = () => new Map(names.map((n) => [n, { values: model.params.get(n)!.dataSync() as Float32Array }]));
  try {
    // The coordinator's model is the starting point (the replicas built the same values; this makes it explicit).
    dp.restore({ steps: 0, params: current() });
  } catch (error) {
    await dp.close();
    throw error;
  }
  let stale = false;
  const workers = spec.workers;
  return {
    description: `${workers} data-parallel replicas (worker threads, ${dp.backend})`,
    async step(micro, lr) {
      const shards: ReplicaShard[] = Array.from({ length: workers }, (_, rank) => ({
        micro: micro.map(({ host, indices, seed }) => {
          const start = Math.floor((indices.length * rank) / workers);
          const end = Math.floor((indices.length * (rank + 1)) / workers);
          return {
            host: end > start ? sliceHostBatch(host, start, end, labelsPerToken) : null,
            seed,
            denominator: Math.max(1, countLabels(host)) * micro.length,
            tokenDenominator: Math.max(1, host.tokens) * micro.length,
          };
        }),
      }));
      stale = true;
      return dp.stepShards(lr, shards);
    },
    syncModel() {
      if (!stale) return;
      assignTensors(model.params, dp.parameters(), 'data-parallel parameters');
      stale = false;
    },
    optimizerState() {
      const tensors: Array<[string, tf.Tensor]> = [];
      for (const [name, { shape, m, v }] of dp.moments()) tensors.push([`${name}.exp_avg`, tf.tensor(m, shape)], [`${name}.exp_avg_sq`, tf.tensor(v, shape)]);
      return { tensors, release: () => tf.dispose(tensors.map(([, t]) => t)) };
    },
    restore(step, weights, optimizer) {
      assignTensors(model.params, weights, 'checkpoint weights');
      const moments = new Map<string, { m: Float32Array; v: Float32Array }>();
      for (const name of names) {
        const m = optimizer.get(`${name}.exp_avg`);
        const v = optimizer.get(`${name}.exp_avg_sq`);
        if (m && v) moments.set(name, { m: m.values, v: v.values });
      }
      dp.restore({ steps: step, params: current(), moments });
      stale = false;
    },
    close: () => dp.close(),
  };
}
