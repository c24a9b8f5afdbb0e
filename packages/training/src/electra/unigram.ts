/**
 * The unigram baseline of the generator's held-out loss (issue 17, acceptance 4): the cross-entropy,
 * at the same held-out masked positions, of the training split's token frequencies — non-special,
 * non-padding tokens counted, add-one smoothed over the vocabulary so that an id never seen in
 * training costs log(total + V) instead of infinity.
 */
import type { HostBatch } from '../data/batch.ts';
import type { Rows } from '../data/rows.ts';

export function unigramCounts(rows: Rows, vocabSize: number, specialIds: number[]): Float64Array {
  const counts = new Float64Array(vocabSize);
  const special = new Set(specialIds);
  for (let i = 0; i < rows.inputIds.length; i++) {
    const id = rows.inputIds[i]!;
    if (rows.attentionMask[i] && !special.has(id) && id < vocabSize) counts[id]! += 1;
  }
  return counts;
}

/** Mean −log p(original) over the masked positions (labels ≠ -100) of `batches`. */
export function unigramCrossEntropy(counts: Float64Array, batches: HostBatch[]): number {
  let total = 0;
  for (const c of counts) total += c;
  const denominator = total + counts.length;
  let sum = 0;
  let n = 0;
  for (const { labels } of batches) {
    for (const label of labels ?? []) {
      if (label === -100) continue;
      sum -= Math.log(((counts[label] ?? 0) + 1) / denominator);
      n += 1;
    }
  }
  return n > 0 ? sum / n : NaN;
}
