/** What the coordinator tells each data-parallel replica (structured-cloneable: no functions, no tensors). */
import type { Task } from '@tunekit/data-prep';
import type { HostBatch } from '../data/batch.ts';
import type { GeneratorOptions } from '../electra/generator-config.ts';

/** How a replica rebuilds the model the stage trains (the same builder as the stage's). */
export type ReplicaModelSpec =
  | { kind: 'classification'; dir: string; task: Task; labels: string[]; seed: number }
  | { kind: 'masked-lm'; dir: string; seed: number }
  | { kind: 'electra'; dir: string; seed: number; generator: GeneratorOptions; discriminatorWeight: number };

export interface ReplicaOptions {
  model: ReplicaModelSpec;
  /** The parameters the replicas synchronise (trainable and receiving a gradient), sorted. */
  names: string[];
  labelsPerToken: boolean;
}

/**
 * One replica's part of one optimizer step: its rows of every micro-batch (null: none of them), with
 * the whole micro-batch's label count (`denominator`) and non-pad token count (`tokenDenominator`,
 * ELECTRA's discriminator loss), each × micro-batches.
 */
export interface ReplicaShard {
  micro: Array<{ host: HostBatch | null; seed: number; denominator: number; tokenDenominator: number }>;
}
