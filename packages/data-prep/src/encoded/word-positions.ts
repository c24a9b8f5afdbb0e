import type { EncodedSplit } from './types.ts';

/**
 * For token classification: per sentence, per original word, the flat position (`row * seqLen + t`)
 * of THE sub-token whose prediction is that word's prediction (the `primary` flag). Throws if a
 * word has no primary position or more than one — the contract `data-prep/tokenize` guarantees.
 */
export function primaryPositions(split: EncodedSplit): Int32Array[] {
  if (!split.wordIds || !split.primary || !split.rowSentence) throw new Error(`split ${split.name}: not a token-classification split (no wordIds/primary/rowSentence)`);
  const positions = split.examples.map((example) => new Int32Array((example as { tokens: string[] }).tokens.length).fill(-1));
  for (let row = 0; row < split.numRows; row++) {
    const sentence = split.rowSentence[row]!;
    for (let t = 0; t < split.seqLen; t++) {
      const flat = row * split.seqLen + t;
      if (!split.primary[flat]) continue;
      const word = split.wordIds[flat]!;
      if (positions[sentence]![word] !== -1) throw new Error(`split ${split.name}: word ${word} of sentence ${sentence} has two primary positions`);
      positions[sentence]![word] = flat;
    }
  }
  positions.forEach((words, sentence) => {
    const missing = words.indexOf(-1);
    if (missing !== -1) throw new Error(`split ${split.name}: word ${missing} of sentence ${sentence} has no primary position`);
  });
  return positions;
}

/** Per sentence, per word: `values[position]` at the word's primary position (e.g. predicted label ids). */
export function wordValues(split: EncodedSplit, values: ArrayLike<number>): Int32Array[] {
  return primaryPositions(split).map((positions) => Int32Array.from(positions, (flat) => values[flat]!));
}
