/**
 * The flat layout that data-parallel replicas share: every trainable parameter at a fixed offset of
 * one float32 buffer, and each replica's owned element range (contiguous, balanced by element count,
 * free to cut through a parameter: the word embeddings alone are ~90% of tiny BERT).
 */
export interface ParamEntry {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

export interface ParamLayout {
  entries: ParamEntry[];
  total: number;
}

export function buildLayout(params: Iterable<{ name: string; shape: readonly number[] }>): ParamLayout {
  const entries: ParamEntry[] = [];
  let offset = 0;
  for (const { name, shape } of params) {
    const size = shape.reduce((a, b) => a * b, 1);
    entries.push({ name, shape: [...shape], offset, size });
    offset += size;
  }
  return { entries, total: offset };
}

/** Same names, order and shapes (replicas must build identical models). */
export function sameLayout(a: ParamLayout, b: ParamLayout): boolean {
  return a.total === b.total && a.entries.length === b.entries.length && a.entries.every((e, i) => e.name === b.entries[i].name && e.shape.join() === b.entries[i].shape.join());
}

/** Element range [start, end) owned by `rank` of `worldSize`. */
export function ownedRange(total: number, rank: number, worldSize: number): { start: number; end: number } {
  return { start: Math.floor((total * rank) / worldSize), end: Math.floor((total * (rank + 1)) / worldSize) };
}

/** The parts of parameters that fall inside [start, end): one segment per parameter it touches. */
export function segmentsIn(layout: ParamLayout, start: number, end: number): { entry: ParamEntry; start: number; end: number }[] {
  return layout.entries
    .filter((e) => e.offset < end && e.offset + e.size > start)
    .map((entry) => ({ entry, start: Math.max(start, entry.offset), end: Math.min(end, entry.offset + entry.size) }));
}
