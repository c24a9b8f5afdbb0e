import { seededShuffle } from '@tunekit/pipeline/sdk';

/**
 * Split `count` items into named parts of the given fractions by a seeded shuffle; the rest is
 * `remainder`. Each part keeps the original order. Deterministic for a given (count, fractions, seed).
 * Part sizes are `round(fraction * count)`.
 */
export function holdOut(count: number, fractions: Array<[name: string, fraction: number]>, seed: number, remainder = 'train'): Record<string, number[]> {
  const order = seededShuffle(Array.from({ length: count }, (_, i) => i), seed);
  const parts: Record<string, number[]> = {};
  let start = 0;
  for (const [name, fraction] of fractions) {
    const size = Math.min(Math.round(fraction * count), count - start);
    parts[name] = order.slice(start, start + size).sort((a, b) => a - b);
    start += size;
  }
  parts[remainder] = order.slice(start).sort((a, b) => a - b);
  return parts;
}

/** Stratified version: hold out the fractions within each group (e.g. class label) separately. */
export function stratifiedHoldOut(groups: readonly string[], fractions: Array<[name: string, fraction: number]>, seed: number, remainder = 'train'): Record<string, number[]> {
  const byGroup = new Map<string, number[]>();
  groups.forEach((group, index) => {
    if (!byGroup.has(group)) byGroup.set(group, []);
    byGroup.get(group)!.push(index);
  });
  const parts: Record<string, number[]> = Object.fromEntries([...fractions.map(([name]) => name), remainder].map((name) => [name, [] as number[]]));
  for (const group of [...byGroup.keys()].sort()) {
    const members = byGroup.get(group)!;
    const split = holdOut(members.length, fractions, seed, remainder);
    for (const [name, indices] of Object.entries(split)) parts[name]!.push(...indices.map((i) => members[i]!));
  }
  for (const indices of Object.values(parts)) indices.sort((a, b) => a - b);
  return parts;
}
