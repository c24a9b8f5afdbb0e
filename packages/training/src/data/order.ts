/**
 * Deterministic data order: epoch e's batches depend only on (seed, e), so a resumed run finds
 * the same batch at the same position without saving any RNG state. With `groupByLength`, rows
 * are shuffled, sorted by length inside windows of 50 batches, cut into batches, and the batches
 * shuffled — padding shrinks, order stays random (HF's group_by_length idea).
 */
import { deriveSeed, seededRandom, shuffleInPlace } from '@tunekit/pipeline/sdk';

export const LENGTH_GROUP_BATCHES = 50;

export function epochBatches(lengths: Int32Array, batchSize: number, seed: number, epoch: number, groupByLength: boolean): number[][] {
  const random = seededRandom(deriveSeed(seed, 0x0d47a, epoch));
  const order = shuffleInPlace(Array.from({ length: lengths.length }, (_, i) => i), random);
  if (groupByLength) {
    const window = batchSize * LENGTH_GROUP_BATCHES;
    for (let start = 0; start < order.length; start += window) {
      const chunk = order.slice(start, start + window).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
      order.splice(start, chunk.length, ...chunk);
    }
  }
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return groupByLength ? shuffleInPlace(batches, random) : batches;
}

/** Evaluation order: rows sorted by length (less padding), in fixed batches. */
export function evaluationBatches(lengths: Int32Array, batchSize: number): number[][] {
  const order = Array.from({ length: lengths.length }, (_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}
