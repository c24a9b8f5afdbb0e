import type { Scalar } from './types.ts';

export type Coords = Record<string, Scalar>;

/** Every combination of a stage's `matrix:` values, in declaration order (first key varies slowest). */
export function matrixCells(matrix: Record<string, Scalar[]> | undefined): Coords[] {
  let cells: Coords[] = [{}];
  for (const [key, values] of Object.entries(matrix ?? {})) {
    cells = cells.flatMap((cell) => values.map((value) => ({ ...cell, [key]: value })));
  }
  return cells;
}

/** `train` + `{strategy: 'lora'}` → `train[strategy=lora]`. */
export function cellId(name: string, coords: Coords): string {
  const entries = Object.entries(coords);
  return entries.length === 0 ? name : `${name}[${entries.map(([k, v]) => `${k}=${String(v)}`).join(',')}]`;
}

/** Two cells agree when every coordinate they share has the same value. */
export function compatible(a: Coords, b: Coords): boolean {
  return Object.keys(a).every((key) => !(key in b) || String(a[key]) === String(b[key]));
}

/**
 * Join a stage's own cells with the cells of the upstream stages it fans out over: the result
 * has one cell per compatible combination (shared coordinates must match, new ones multiply).
 */
export function joinCells(own: Coords[], upstreams: Coords[][]): Coords[] {
  let cells = own;
  for (const upstream of upstreams) {
    cells = cells.flatMap((cell) => upstream.filter((other) => compatible(cell, other)).map((other) => ({ ...cell, ...other })));
  }
  return cells;
}

export function matchesSelector(coords: Coords, select: Record<string, string>): boolean {
  return Object.entries(select).every(([key, value]) => key in coords && String(coords[key]) === value);
}
