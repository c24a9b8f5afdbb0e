/**
 * Zero-shot NER: each word (its primary sub-token, in context) takes the nearest of the type
 * prototypes and the "outside" prototype (mean vector of every word of the split); runs of one type
 * become one entity. Method and rationale: prototypes.ts.
 */
import type { EncodedSplit } from '@tunekit/data-prep';
import type { NerPredictionSentence } from '../../predictions/ner-predictions.ts';
import type { ZeroShotEncoder } from './encoder.ts';
import { mean, nearestPrototype, normalise, runsToIob2 } from './prototypes.ts';

export interface ZeroShotOptions {
  descriptions: Record<string, string>;
  sharpness: number;
  batchSize: number;
  onProgress?: (done: number, total: number) => void;
}

export async function labelWordsZeroShot(encoder: ZeroShotEncoder, split: EncodedSplit, options: ZeroShotOptions): Promise<NerPredictionSentence[]> {
  const { primaryPositions } = await import('@tunekit/data-prep');
  const types = Object.keys(options.descriptions).sort();
  if (types.length === 0) throw new Error('evaluation/baseline-zero-shot: `descriptions` must name at least one entity type');
  const H = encoder.hiddenSize;
  const L = split.seqLen;
  const typePrototypes: Float32Array[] = [];
  for (const type of types) typePrototypes.push(await encoder.describe(options.descriptions[type]!, L));
  // Word vectors at their primary positions, batch by batch.
  const positions = primaryPositions(split);
  const flatToWord = new Map<number, [number, number]>();
  positions.forEach((words, s) => words.forEach((flat, w) => flatToWord.set(flat, [s, w])));
  const vectors: Float32Array[][] = positions.map((words) => Array.from(words, () => new Float32Array(H)));
  for (let start = 0; start < split.numRows; start += options.batchSize) {
    const rows = Math.min(options.batchSize, split.numRows - start);
    const states = await encoder.lastHidden(split.inputIds.subarray(start * L, (start + rows) * L), split.attentionMask.subarray(start * L, (start + rows) * L), rows, L);
    for (let flat = start * L; flat < (start + rows) * L; flat++) {
      const word = flatToWord.get(flat);
      if (word) vectors[word[0]]![word[1]] = states.slice((flat - start * L) * H, (flat - start * L + 1) * H);
    }
    options.onProgress?.(start + rows, split.numRows);
  }
  const outside = normalise(mean(vectors.flat(), H));
  const prototypes = [outside, ...typePrototypes];
  return split.examples.map((example, s) => {
    const { tokens, tags } = example as { tokens: string[]; tags: string[] };
    const picks = vectors[s]!.map((v: Float32Array) => nearestPrototype(v, prototypes, options.sharpness));
    return { tokens, gold: tags, pred: runsToIob2(picks.map((x) => x.index), types), confidence: picks.map((x) => x.confidence) };
  });
}
