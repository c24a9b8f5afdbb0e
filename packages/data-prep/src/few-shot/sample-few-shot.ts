import { seededShuffle } from '@tunekit/pipeline/sdk';
import { entityTypes } from '../dataset/label-set.ts';
import type { TextExample, TokenExample } from '../dataset/types.ts';

export interface FewShotSample {
  /** Indices of the chosen examples, in the original order. */
  indices: number[];
  /** Per entity type / class: how many chosen examples contain it (>= k unless the data has fewer). */
  coverage: Record<string, number>;
}

/**
 * k-shot NER sample (greedy, as in few-shot NER benchmarks): walk the sentences in one seeded order
 * and, for each entity type in sorted order, add sentences containing it until k chosen sentences
 * contain that type. Every type ends with at least k sentences (exactly k for the first type and for
 * single-type data) unless the data has fewer. One shuffle per seed, so k=5 ⊂ k=10 for a given seed.
 */
export function sampleNerFewShot(examples: TokenExample[], k: number, seed: number): FewShotSample {
  const order = seededShuffle(examples.map((_, i) => i), seed);
  const typesOf = examples.map((example) => new Set(entityTypes(example.tags)));
  const chosen = new Set<number>();
  const coverage: Record<string, number> = {};
  const types = entityTypes(examples.flatMap((example) => example.tags));
  for (const type of types) {
    let count = [...chosen].filter((i) => typesOf[i]!.has(type)).length;
    for (const i of order) {
      if (count >= k) break;
      if (!chosen.has(i) && typesOf[i]!.has(type)) {
        chosen.add(i);
        count++;
      }
    }
  }
  for (const type of types) coverage[type] = [...chosen].filter((i) => typesOf[i]!.has(type)).length;
  return { indices: [...chosen].sort((a, b) => a - b), coverage };
}

/** k examples per class (fewer when a class has fewer), chosen by one seeded order. */
export function sampleClassFewShot(examples: TextExample[], labels: string[], k: number, seed: number): FewShotSample {
  const order = seededShuffle(examples.map((_, i) => i), seed);
  const coverage: Record<string, number> = Object.fromEntries(labels.map((label) => [label, 0]));
  const chosen: number[] = [];
  for (const i of order) {
    const label = examples[i]!.label;
    if ((coverage[label] ?? 0) < k) {
      coverage[label] = (coverage[label] ?? 0) + 1;
      chosen.push(i);
    }
  }
  return { indices: chosen.sort((a, b) => a - b), coverage };
}
