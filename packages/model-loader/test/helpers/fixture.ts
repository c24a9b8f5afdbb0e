import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TINY_BERT_DIR } from './paths.ts';

export interface FixtureBatch {
  name: string;
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids: number[][];
}

export interface TinyBertExpected {
  inputs: FixtureBatch[];
  last_hidden_state: number[][][][];
  logits: number[][][][];
  expected_pooled: number[][][];
  hidden_states: number[][][][][];
  tolerance: { atol: number };
}

export const EXPECTED = JSON.parse(readFileSync(join(TINY_BERT_DIR, 'expected.json'), 'utf8')) as TinyBertExpected;

/** Largest |a - b| over two nested arrays of the same shape (throws on a shape mismatch). */
export function maxAbsDiff(a: unknown, b: unknown, path = ''): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) throw new Error(`shape mismatch at ${path || 'root'}: ${a.length} vs ${b.length}`);
    return a.reduce((m: number, item, i) => Math.max(m, maxAbsDiff(item, b[i], `${path}[${i}]`)), 0);
  }
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  throw new Error(`type mismatch at ${path || 'root'}`);
}
