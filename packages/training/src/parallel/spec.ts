/** What the coordinator tells each data-parallel replica (structured-cloneable: no functions, no tensors). */
import type { Task } from '@tunekit/data-prep';
import type { HostBatch } from '../data/batch.ts';

/** How a replica rebuilds the model the stage trains (the same builder as the stage's). */
export type ReplicaModelSpec =
  | { kind: 'classification'; dir: string; task: Task; labels: string[]; seed: number }
  | { kind: 'masked-lm'; dir: string; seed: number };

export interface ReplicaOptions {
  model: ReplicaModelSpec;
  /** The parameters the replicas synchronise (trainable and receiving a gradient), sorted. */
  names: string[];
  labelsPerToken: boolean;
}

/** One replica's part of one optimizer step: its rows of every micro-batch (null: none of them). */
export interface ReplicaShard {
  micro: Array<{ host: HostBatch | null; seed: number; denominator: number }>;
}
