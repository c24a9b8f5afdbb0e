/**
 * Seeded pseudo-random numbers for stages whose outputs must be reproducible bit for bit (splits,
 * sampling, data order, masking, dropout seeds). mulberry32: small, fast and the same sequence on
 * every platform. Not cryptographic.
 */

/** mulberry32 over the raw 32-bit state `seed`: uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator TuneKit stages use for a stage seed (the seed is mixed first, so 0 is not special). */
export function seededRandom(seed: number): () => number {
  return mulberry32((seed >>> 0) ^ 0x9e3779b9);
}

/** A 31-bit seed derived from a base seed and integers (epoch, step, …): murmur3-style mixing. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = (seed >>> 0) ^ 0x85ebca6b;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0xcc9e2d51);
    h = (h << 15) | (h >>> 17);
    h = Math.imul(h, 0x1b873593) ^ 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) & 0x7fffffff;
}

/** Fisher–Yates shuffle of `items` in place, driven by `random`. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Fisher–Yates shuffle of a copy of `items`, driven by `seed`. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  return shuffleInPlace(items.slice(), seededRandom(seed));
}
