/**
 * Entity-level precision / recall / F1 (seqeval default and strict IOB2 modes) and token accuracy
 * for word-level gold and predicted tag sequences.
 */
import { averagePrf, type AveragedPrf, type Counts } from '../prf.ts';
import { getEntities, type Entity } from './entities.ts';
import { getStrictIob2Entities } from './strict-entities.ts';

export type EntityMode = 'default' | 'strict';

export interface EntityScores extends AveragedPrf {
  mode: EntityMode;
}

export interface NerMetrics {
  /** seqeval default mode (conlleval-compatible). */
  default: EntityScores;
  /** seqeval mode='strict', scheme=IOB2; null when a sequence holds tags other than B/I/O. */
  strict: EntityScores | null;
  /** Correct word tags / words (seqeval `accuracy_score`). */
  tokenAccuracy: number;
  sentences: number;
  tokens: number;
}

export function entityKey(entity: Entity): string {
  return `${entity.sentence}\u0000${entity.type}\u0000${entity.start}\u0000${entity.end}`;
}

export function checkAligned(gold: readonly (readonly string[])[], pred: readonly (readonly string[])[]): void {
  if (gold.length !== pred.length) {
    throw new Error(`gold has ${gold.length} sentences but predictions have ${pred.length}`);
  }
  gold.forEach((tags, i) => {
    if (tags.length !== pred[i]!.length) {
      throw new Error(`sentence ${i}: gold has ${tags.length} tags but predictions have ${pred[i]!.length}`);
    }
  });
}

/** Per-type counts from two entity lists (a set intersection, as seqeval does). */
export function countEntities(goldEntities: readonly Entity[], predEntities: readonly Entity[]): Map<string, Counts> {
  const counts = new Map<string, Counts>();
  const row = (type: string) => {
    let c = counts.get(type);
    if (!c) counts.set(type, (c = { correct: 0, predicted: 0, support: 0 }));
    return c;
  };
  const goldKeys = new Set<string>();
  for (const e of goldEntities) {
    const key = entityKey(e);
    if (goldKeys.has(key)) continue;
    goldKeys.add(key);
    row(e.type).support += 1;
  }
  const predKeys = new Set<string>();
  for (const e of predEntities) {
    const key = entityKey(e);
    if (predKeys.has(key)) continue;
    predKeys.add(key);
    const c = row(e.type);
    c.predicted += 1;
    if (goldKeys.has(key)) c.correct += 1;
  }
  return counts;
}

export function entityScores(
  gold: readonly (readonly string[])[],
  pred: readonly (readonly string[])[],
  mode: EntityMode,
): EntityScores {
  checkAligned(gold, pred);
  const extract = mode === 'default' ? getEntities : getStrictIob2Entities;
  return { mode, ...averagePrf(countEntities(extract(gold), extract(pred))) };
}

export function tokenAccuracy(gold: readonly (readonly string[])[], pred: readonly (readonly string[])[]): number {
  checkAligned(gold, pred);
  let correct = 0;
  let total = 0;
  gold.forEach((tags, i) => {
    tags.forEach((tag, j) => {
      total += 1;
      if (tag === pred[i]![j]) correct += 1;
    });
  });
  return total === 0 ? 0 : correct / total;
}

function isIob2(sentences: readonly (readonly string[])[]): boolean {
  return sentences.every((tags) => tags.every((tag) => tag === 'O' || tag[0] === 'B' || tag[0] === 'I'));
}

export function nerMetrics(gold: readonly (readonly string[])[], pred: readonly (readonly string[])[]): NerMetrics {
  const strict = isIob2(gold) && isIob2(pred) ? entityScores(gold, pred, 'strict') : null;
  return {
    default: entityScores(gold, pred, 'default'),
    strict,
    tokenAccuracy: tokenAccuracy(gold, pred),
    sentences: gold.length,
    tokens: gold.reduce((n, tags) => n + tags.length, 0),
  };
}
