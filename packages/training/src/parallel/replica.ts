/**
 * A data-parallel replica of a training stage (loaded by `@tunekit/compute`'s worker threads): it
 * rebuilds the stage's model from the input artifact, and per step computes the gradients of its
 * rows of every micro-batch. Its loss is its share of the whole batch's mean (sum over its
 * positions ÷ the whole micro-batch's count ÷ micro-batches), so the replicas' gradients sum to
 * the full batch's. Dropout is seeded per micro-batch and rank.
 */
import { accumulateGrads } from '../loop/accumulate-grads.ts';
import * as tf from '@tensorflow/tfjs-core';
import type { CreateReplica } from '@tunekit/compute';
import type { BertModel } from '@tunekit/model-loader';
import { deriveSeed } from '@tunekit/pipeline/sdk';
import { isBiasOrLayerNorm } from '@tunekit/strategies';
import { disposeBatch, toBatch, type Batch } from '../data/batch.ts';
import { loadFineTuneModel } from '../fine-tune/model.ts';
import { classificationLoss } from '../fine-tune/task.ts';
import { loadMlmModel } from '../mlm/model.ts';
import { mlmBatchLoss, sparseDecoder } from '../mlm/task.ts';
import { ElectraModel, loadElectraModel } from '../electra/model.ts';
import { electraBatchLoss } from '../electra/loss.ts';
import type { ReplicaModelSpec, ReplicaOptions, ReplicaShard } from './spec.ts';

type ShardLoss = (model: BertModel, batch: Batch, seed: number, denominator: number, tokenDenominator: number) => tf.Scalar;

async function build(spec: ReplicaModelSpec): Promise<{ model: BertModel; loss: ShardLoss }> {
  if (spec.kind === 'classification') {
    const { model } = await loadFineTuneModel(spec.dir, spec.task, spec.labels, spec.seed);
    return { model, loss: classificationLoss };
  }
  if (spec.kind === 'electra') {
    const model = await loadElectraModel(spec.dir, spec.seed, spec.generator);
    return { model, loss: (m, batch, seed, denominator, tokens) => electraBatchLoss(m as ElectraModel, batch, { training: true, seed, discriminatorWeight: spec.discriminatorWeight, denominators: { masked: denominator, tokens } }) };
  }
  const model = await loadMlmModel(spec.dir, spec.seed);
  const decoder = sparseDecoder(model);
  return { model, loss: (m, batch, seed, denominator) => mlmBatchLoss(m, decoder, batch, true, seed, denominator) };
}

export const createReplica: CreateReplica = async ({ rank, options }) => {
  const o = options as ReplicaOptions;
  const { model, loss } = await build(o.model);
  const params = new Map(
    o.names.map((name) => {
      const variable = model.params.get(name);
      if (!variable) throw new Error(`replica ${rank}: the rebuilt model has no parameter "${name}"`);
      return [name, variable];
    }),
  );
  const variables = [...params.values()];
  const byVariable = new Map(o.names.map((name) => [params.get(name)!.name, name]));
  return {
    params,
    noDecay: isBiasOrLayerNorm,
    lossAndGrads(_step, data) {
      const grads = new Map<string, tf.Tensor>();
      let total = 0;
      for (const { host, seed, denominator, tokenDenominator } of (data as ReplicaShard).micro) {
        if (!host) continue;
        const batch = toBatch(host, Array.from({ length: host.inputIds.length / host.length }, (_, i) => i), o.labelsPerToken);
        const { value, grads: g } = tf.variableGrads(() => loss(model, batch, deriveSeed(seed, rank), denominator, tokenDenominator), variables);
        total += value.dataSync()[0]!;
        value.dispose();
        accumulateGrads(grads, g, byVariable);
        disposeBatch(batch);
      }
      // No rows of this step (a last micro-batch smaller than the replica count): contribute zeros.
      for (const [name, variable] of params) if (!grads.has(name)) grads.set(name, tf.zerosLike(variable));
      return { loss: tf.scalar(total), grads };
    },
  };
};
