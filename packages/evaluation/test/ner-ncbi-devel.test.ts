/** NCBI-disease devel (shipped under datasets/): pred = gold → F1 1.0, all-O → 0.0. */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readColumnSentences } from '../src/io/read-columns.ts';
import { nerMetrics } from '../src/metrics/ner/index.ts';

const file = fileURLToPath(new URL('../../../datasets/ncbi-disease/devel.tsv', import.meta.url));
const gold = readColumnSentences(readFileSync(file, 'utf8'), file, [2], 'token<TAB>tag').map((s) => s.map((r) => r.columns[1]!));

describe('NCBI-disease devel', () => {
  test('has 923 sentences, 23,969 tokens and 787 Disease mentions', () => {
    const m = nerMetrics(gold, gold);
    expect([m.sentences, m.tokens, m.default.micro.support]).toEqual([923, 23969, 787]);
  });

  test('pred = gold gives F1 1.0 in both modes and token accuracy 1.0', () => {
    const m = nerMetrics(gold, gold);
    expect(m.default.micro.f1).toBe(1);
    expect(m.strict!.micro.f1).toBe(1);
    expect(m.tokenAccuracy).toBe(1);
  });

  test('all-O predictions give F1 0.0', () => {
    const m = nerMetrics(gold, gold.map((tags) => tags.map(() => 'O')));
    expect(m.default.micro.f1).toBe(0);
    expect(m.strict!.micro.f1).toBe(0);
  });
});
