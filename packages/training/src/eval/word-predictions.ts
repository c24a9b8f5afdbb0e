/**
 * Sub-token predictions → exactly one predicted tag per original word, through the encoded split's
 * `primary` / `wordIds` / `rowSentence` maps (windows of long sentences included).
 */
import type { EncodedSplit } from '@tunekit/data-prep';

/** `predictedIds[row·seqLen + position]` holds the argmax label id at that position. */
export function wordLevelTags(split: EncodedSplit, predictedIds: Int32Array, labels: string[]): { gold: string[][]; pred: string[][] } {
  if (!split.primary || !split.wordIds || !split.rowSentence) {
    throw new Error(`split "${split.name}": token-classification split lacks primary/wordIds/rowSentence maps`);
  }
  const gold = split.examples.map((example) => {
    if (!('tags' in example)) throw new Error(`split "${split.name}": expected word-level examples with tags`);
    return example.tags;
  });
  const pred = gold.map((tags) => tags.map(() => ''));
  for (let row = 0; row < split.numRows; row++) {
    const sentence = split.rowSentence[row]!;
    for (let p = 0; p < split.seqLen; p++) {
      const i = row * split.seqLen + p;
      if (split.primary[i] !== 1) continue;
      pred[sentence]![split.wordIds[i]!] = labels[predictedIds[i]!]!;
    }
  }
  pred.forEach((tags, s) =>
    tags.forEach((tag, w) => {
      if (tag === '') throw new Error(`split "${split.name}": sentence ${s} word ${w} has no primary sub-token (the encoded dataset lost a word)`);
    }),
  );
  return { gold, pred };
}
