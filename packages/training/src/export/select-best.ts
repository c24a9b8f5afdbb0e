/**
 * Choosing one model among the cells of a matrix by a metric computed on a named split (the
 * validation split: choosing on the test split would make the reported test score optimistic).
 * Pure: candidates in, choice out; the stage reads the files.
 */

export interface Candidate {
  /** The producing cell, e.g. `calibrate[strategy=lora]`. */
  stageId: string;
  coords: Record<string, string | number | boolean>;
  /** The metric value, e.g. validation entity F1. */
  value: number;
}

export interface Selection {
  best: Candidate;
  /** Every candidate in input (cell) order. */
  candidates: Candidate[];
}

/**
 * The candidate with the largest (`max`) or smallest (`min`) value; on a tie the first in cell
 * order wins, so the choice never depends on timing. Non-finite values are an error: a NaN score
 * means an evaluation went wrong, and silently skipping it could hide the real winner.
 */
export function selectBest(candidates: readonly Candidate[], mode: 'max' | 'min'): Selection {
  if (candidates.length === 0) throw new Error('select-best: no candidates');
  for (const c of candidates) {
    if (!Number.isFinite(c.value)) throw new Error(`select-best: ${c.stageId} has a non-finite metric value (${c.value})`);
  }
  let best = candidates[0]!;
  for (const c of candidates.slice(1)) {
    if (mode === 'max' ? c.value > best.value : c.value < best.value) best = c;
  }
  return { best, candidates: [...candidates] };
}

/** Coordinates as a stable string (keys sorted) to pair the cells of two gathered inputs. */
export function coordsKey(coords: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(coords).sort().map((k) => [k, coords[k]]));
}
