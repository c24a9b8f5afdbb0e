/** Build one batch's tensors from row indices, trimmed to the longest row of the batch. */
import * as tf from '@tensorflow/tfjs-core';
import type { Rows } from './rows.ts';

export interface Batch {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
  /** [B, L] (per token, -100 ignored) or [B] (per row). */
  labels?: tf.Tensor;
  /** Real (non-pad) tokens in the batch, for tokens/s. */
  tokens: number;
  length: number;
  rows: number[];
  /** MLM: flat indices (b·length + position) of the positions to predict. */
  predictPositions?: tf.Tensor1D;
}

export interface HostBatch {
  inputIds: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
  labels?: Int32Array;
  length: number;
  tokens: number;
  /** MLM: flat indices of the positions to predict. */
  predictPositions?: Int32Array;
}

export function gatherRows(rows: Rows, indices: number[], lengths: Int32Array): HostBatch {
  const length = Math.max(1, ...indices.map((i) => lengths[i]!));
  const n = indices.length;
  const take = (source: Int32Array) => {
    const out = new Int32Array(n * length);
    indices.forEach((row, b) => out.set(source.subarray(row * rows.seqLen, row * rows.seqLen + length), b * length));
    return out;
  };
  let labels: Int32Array | undefined;
  if (rows.labels) labels = rows.labelsPerToken ? take(rows.labels) : Int32Array.from(indices, (i) => rows.labels![i]!);
  const tokens = indices.reduce((sum, i) => sum + lengths[i]!, 0);
  return { inputIds: take(rows.inputIds), attentionMask: take(rows.attentionMask), tokenTypeIds: take(rows.tokenTypeIds), labels, length, tokens };
}

export function toBatch(host: HostBatch, indices: number[], labelsPerToken: boolean): Batch {
  const shape: [number, number] = [indices.length, host.length];
  return {
    inputIds: tf.tensor2d(host.inputIds, shape, 'int32'),
    attentionMask: tf.tensor2d(host.attentionMask, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(host.tokenTypeIds, shape, 'int32'),
    labels: host.labels ? (labelsPerToken ? tf.tensor2d(host.labels, shape, 'int32') : tf.tensor1d(host.labels, 'int32')) : undefined,
    tokens: host.tokens,
    length: host.length,
    rows: indices,
    predictPositions: host.predictPositions ? tf.tensor1d(host.predictPositions, 'int32') : undefined,
  };
}

export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.inputIds, batch.attentionMask, batch.tokenTypeIds, ...(batch.labels ? [batch.labels] : []), ...(batch.predictPositions ? [batch.predictPositions] : [])]);
}
