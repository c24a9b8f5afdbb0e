/**
 * Greedy left-to-right longest match of gazetteer entries over a sentence: at each word, the
 * longest entry starting there wins and the scan jumps past it; no overlaps.
 */
import { KEY_SEPARATOR, normalise, type Gazetteer, type GazetteerEntry } from './gazetteer-types.ts';

export interface Match {
  start: number;
  /** Inclusive. */
  end: number;
  key: string;
  entry: GazetteerEntry;
}

export function longestMatch(tokens: readonly string[], gazetteer: Pick<Gazetteer, 'entries' | 'maxLength' | 'lowercase'>): Match[] {
  const words = tokens.map((w) => normalise(w, gazetteer.lowercase));
  const matches: Match[] = [];
  let i = 0;
  while (i < words.length) {
    let found: Match | undefined;
    for (let length = Math.min(gazetteer.maxLength, words.length - i); length >= 1 && !found; length--) {
      const key = words.slice(i, i + length).join(KEY_SEPARATOR);
      const entry = gazetteer.entries.get(key);
      if (entry) found = { start: i, end: i + length - 1, key, entry };
    }
    if (found) {
      matches.push(found);
      i = found.end + 1;
    } else {
      i += 1;
    }
  }
  return matches;
}

/**
 * IOB2 tags and confidences for a sentence. Confidence of a matched word: the entry's precision on
 * training; of an unmatched word (tag O): 1 − the rate at which that word was inside an entity in
 * training (1 for unseen words).
 */
export function tagSentence(tokens: readonly string[], gazetteer: Gazetteer): { tags: string[]; confidence: number[] } {
  const tags = tokens.map(() => 'O');
  const confidence = tokens.map((w) => 1 - (gazetteer.wordEntityRate.get(normalise(w, gazetteer.lowercase)) ?? 0));
  for (const m of longestMatch(tokens, gazetteer)) {
    for (let i = m.start; i <= m.end; i++) {
      tags[i] = `${i === m.start ? 'B' : 'I'}-${m.entry.type}`;
      confidence[i] = m.entry.precision;
    }
  }
  return { tags, confidence };
}
