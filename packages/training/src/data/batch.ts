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
  /** ELECTRA: per-token random 31-bit integers (host), the generator's sampling noise. */
  sampleNoise?: Int32Array;
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
  /** ELECTRA: per-token random 31-bit integers, drawn with the masks, that the generator's sampling consumes. */
  sampleNoise?: Int32Array;
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
    ...(host.sampleNoise ? { sampleNoise: host.sampleNoise } : {}),
  };
}

export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.inputIds, batch.attentionMask, batch.tokenTypeIds, ...(batch.labels ? [batch.labels] : []), ...(batch.predictPositions ? [batch.predictPositions] : [])]);
}

/**
 * Rows [start, end) of a host batch (a data-parallel replica's shard), trimmed to the longest of
 * those rows; MLM predict positions are re-indexed to the shard's layout.
 */
export function sliceHostBatch(host: HostBatch, start: number, end: number, labelsPerToken: boolean): HostBatch {
  const n = end - start;
  let length = 1;
  for (let b = start; b < end; b++) {
    for (let p = 0; p < host.length; p++) if (host.attentionMask[b * host.length + p]) length = Math.max(length, p + 1);
  }
  const take = (source: Int32Array) => {
    const out = new Int32Array(n * length);
    for (let b = 0; b < n; b++) out.set(source.subarray((start + b) * host.length, (start + b) * host.length + length), b * length);
    return out;
  };
  let tokens = 0;
  for (let i = start * host.length; i < end * host.length; i++) tokens += host.attentionMask[i]!;
  const shard: HostBatch = { inputIds: take(host.inputIds), attentionMask: take(host.attentionMask), tokenTypeIds: take(host.tokenTypeIds), length, tokens };
  if (host.labels) shard.labels = labelsPerToken ? take(host.labels) : host.labels.slice(start, end);
  if (host.sampleNoise) shard.sampleNoise = take(host.sampleNoise);
  if (host.predictPositions) {
    const positions: number[] = [];
    for (const flat of host.predictPositions) {
      const b = Math.floor(flat / host.length);
      if (b >= start && b < end) positions.push((b - start) * length + (flat % host.length));
    }
    shard.predictPositions = Int32Array.from(positions);
  }
  return shard;
}

/** Positions (or rows) with a label other than -100: what a mean cross-entropy divides by. */
export function countLabels(host: HostBatch): number {
  let n = 0;
  for (const label of host.labels ?? []) if (label !== -100) n++;
  return n;
}
