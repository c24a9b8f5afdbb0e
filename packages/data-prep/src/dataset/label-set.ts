import type { TextExample, TokenExample } from './types.ts';

/** Entity types of IOB2 tags (`B-Disease` → `Disease`), sorted. */
export function entityTypes(tags: Iterable<string>): string[] {
  const types = new Set<string>();
  for (const tag of tags) if (tag !== 'O') types.add(tag.slice(2));
  return [...types].sort();
}

/** Label list for token classification: `O`, then `B-T`, `I-T` for each type in sorted order. */
export function iob2LabelList(examples: Iterable<TokenExample>): string[] {
  const all = new Set<string>();
  for (const example of examples) for (const tag of example.tags) all.add(tag);
  return ['O', ...entityTypes(all).flatMap((type) => [`B-${type}`, `I-${type}`])];
}

/** Class labels: `order` when given (every seen label must be in it), else sorted. */
export function classLabelList(examples: Iterable<TextExample>, order?: string[]): string[] {
  const seen = new Set<string>();
  for (const example of examples) seen.add(example.label);
  return order ? order.slice() : [...seen].sort();
}

/** Number of entity mentions per type in IOB2 tags. */
export function countMentions(examples: Iterable<TokenExample>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const example of examples) {
    for (const tag of example.tags) {
      if (tag.startsWith('B-')) counts[tag.slice(2)] = (counts[tag.slice(2)] ?? 0) + 1;
    }
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
