/**
 * What a data-parallel training module exports: `createReplica(context)`, building one replica of the
 * model and its data shard inside a worker thread. Every replica must create the same parameters
 * (names, order, shapes); their initial values are taken from the owners, so they need not agree.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface ReplicaContext {
  rank: number;
  worldSize: number;
  /** The `options` given to `startDataParallel` (structured-cloned). */
  options: unknown;
}

export interface ReplicaStep {
  /** This shard's share of the batch loss (the replicas' losses sum to the full-batch loss). */
  loss: tf.Scalar;
  /** Gradients by parameter name, scaled like `loss`: their sum over replicas is the full-batch gradient. */
  grads: Map<string, tf.Tensor>;
}

export interface Replica {
  /** Trainable parameters by name. */
  params: Map<string, tf.Variable>;
  /** Forward + backward of this replica's shard of batch `step`; `data` is this rank's entry of `stepShards`' shards (undefined with `step()`). */
  lossAndGrads(step: number, data?: unknown): ReplicaStep;
  /** Parameters without weight decay (default: HF's biases and LayerNorm weights). */
  noDecay?(name: string): boolean;
}

export type CreateReplica = (context: ReplicaContext) => Replica | Promise<Replica>;
