/**
 * What a built gazetteer is and how a word sequence becomes its key: shared by `gazetteer.ts`
 * (which builds one) and `longest-match.ts` (which matches with one).
 */
export interface GazetteerEntry {
  type: string;
  /** Times the sequence is a gold mention in training. */
  mentions: number;
  /** Longest-match precision on the training split (1 when never checked). */
  precision: number;
}

export interface Gazetteer {
  entries: Map<string, GazetteerEntry>;
  /** Longest entry, in words. */
  maxLength: number;
  lowercase: boolean;
  /** Per word: fraction of its training occurrences that are inside a gold entity. */
  wordEntityRate: Map<string, number>;
}

/** Joins a sequence's normalised words into an `entries` key. */
export const KEY_SEPARATOR = '\u0001';

export function normalise(word: string, lowercase: boolean): string {
  return lowercase ? word.toLowerCase() : word;
}
