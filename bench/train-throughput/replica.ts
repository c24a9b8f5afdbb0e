/**
 * The benchmark step as a data-parallel replica (`--workers N`): replica r trains on rows
 * [r·B/N, (r+1)·B/N) of each batch, with its own dropout stream (seed step·N + r).
 */
import * as tf from '@tensorflow/tfjs-core';
import { hfNoDecay, type CreateReplica } from '@tunekit/compute';
import { PRESETS, type BenchArgs } from './args.ts';
import { LABELS, VOCAB, syntheticBatches, tokenLoss } from './batch.ts';
import { createBenchModel } from './bert-model.ts';

export const createReplica: CreateReplica = async ({ rank, worldSize, options }) => {
  const args = options as BenchArgs;
  const model = await createBenchModel({ ...PRESETS[args.preset], vocab: VOCAB, labels: LABELS }, args.strategy);
  const rows = { start: Math.floor((args.batch * rank) / worldSize), end: Math.floor((args.batch * (rank + 1)) / worldSize) };
  const batches = syntheticBatches(args.batch, args.seq, rows);
  const vars = [...model.trainable.values()];
  const hfName = new Map([...model.trainable].map(([name, v]) => [v.name, name]));
  return {
    params: model.trainable,
    noDecay: hfNoDecay,
    lossAndGrads(step) {
      const batch = batches[step % batches.length];
      const { value, grads } = tf.variableGrads(() => tokenLoss(model, batch, step * worldSize + rank, args.batch * args.seq), vars);
      return { loss: value, grads: new Map(Object.entries(grads).map(([name, g]) => [hfName.get(name)!, g])) };
    },
  };
};
