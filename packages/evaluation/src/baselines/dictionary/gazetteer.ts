/**
 * The dictionary (gazetteer) baseline: every entity mention of the training split becomes an entry
 * (its word sequence → its type). Entries are then checked against the training text itself: an
 * entry whose longest-match occurrences in training are mostly NOT that gold entity (e.g. a mention
 * "cancer" that is usually untagged) is dropped when its precision is below `minPrecision`.
 */
import { getEntities } from '../../metrics/ner/entities.ts';
import { KEY_SEPARATOR, normalise, type Gazetteer, type GazetteerEntry } from './gazetteer-types.ts';
import { longestMatch } from './longest-match.ts';

export interface GazetteerOptions {
  lowercase: boolean;
  /** Drop entries whose longest-match precision on training is below this (0 keeps all). */
  minPrecision: number;
  /** Drop entries seen fewer times than this as a gold mention. */
  minMentions: number;
}

export function buildGazetteer(train: readonly { tokens: string[]; tags: string[] }[], options: GazetteerOptions): Gazetteer {
  const typeCounts = new Map<string, Map<string, number>>();
  const wordCounts = new Map<string, { total: number; inside: number }>();
  train.forEach((sentence) => {
    const inside = new Array<boolean>(sentence.tokens.length).fill(false);
    for (const e of getEntities([sentence.tags])) {
      const key = sentence.tokens.slice(e.start, e.end + 1).map((w) => normalise(w, options.lowercase)).join(KEY_SEPARATOR);
      const byType = typeCounts.get(key) ?? new Map<string, number>();
      byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
      typeCounts.set(key, byType);
      for (let i = e.start; i <= e.end; i++) inside[i] = true;
    }
    sentence.tokens.forEach((w, i) => {
      const word = normalise(w, options.lowercase);
      const c = wordCounts.get(word) ?? { total: 0, inside: 0 };
      c.total += 1;
      if (inside[i]) c.inside += 1;
      wordCounts.set(word, c);
    });
  });
  const entries = new Map<string, GazetteerEntry>();
  for (const [key, byType] of typeCounts) {
    // The most frequent type wins; ties go to the type name that sorts first (deterministic).
    const [type, mentions] = [...byType].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    if (mentions >= options.minMentions) entries.set(key, { type, mentions, precision: 1 });
  }
  const gazetteer: Gazetteer = {
    entries,
    maxLength: Math.max(0, ...[...entries.keys()].map((k) => k.split(KEY_SEPARATOR).length)),
    lowercase: options.lowercase,
    wordEntityRate: new Map([...wordCounts].map(([w, c]) => [w, c.inside / c.total])),
  };
  // Precision of each entry when matched on the training text.
  const hits = new Map<string, { correct: number; total: number }>();
  train.forEach((sentence) => {
    const gold = new Set(getEntities([sentence.tags]).map((e) => `${e.type}:${e.start}:${e.end}`));
    for (const m of longestMatch(sentence.tokens, gazetteer)) {
      const h = hits.get(m.key) ?? { correct: 0, total: 0 };
      h.total += 1;
      if (gold.has(`${m.entry.type}:${m.start}:${m.end}`)) h.correct += 1;
      hits.set(m.key, h);
    }
  });
  for (const [key, entry] of entries) {
    const h = hits.get(key);
    entry.precision = h ? h.correct / h.total : 1;
    if (entry.precision < options.minPrecision) entries.delete(key);
  }
  gazetteer.maxLength = Math.max(0, ...[...entries.keys()].map((k) => k.split(KEY_SEPARATOR).length));
  return gazetteer;
}
