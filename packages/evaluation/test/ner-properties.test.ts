/**
 * Properties that follow from seqeval's rules, checked on 2,000 seeded random tag sequences
 * (O / B-X / I-X / B-Y / I-Y, including ill-formed IOB2).
 */
import { expect, test } from '@jest/globals';
import { mulberry32 as seededRandom } from '@tunekit/pipeline/sdk';
import { entityKey, entityScores, getEntities, getStrictIob2Entities } from '../src/metrics/ner/index.ts';

const TAGS = ['O', 'O', 'O', 'B-X', 'I-X', 'B-Y', 'I-Y'];
const random = seededRandom(1234);
const sentences = Array.from({ length: 2000 }, () => Array.from({ length: 1 + Math.floor(random() * 12) }, () => TAGS[Math.floor(random() * TAGS.length)]!));

test('every strict IOB2 entity is also a default-mode entity', () => {
  const loose = new Set(getEntities(sentences).map(entityKey));
  expect(getStrictIob2Entities(sentences).every((e) => loose.has(entityKey(e)))).toBe(true);
});

test('entities never overlap and lie inside their sentence', () => {
  for (const extract of [getEntities, getStrictIob2Entities]) {
    const used = new Set<string>();
    for (const e of extract(sentences)) {
      expect(e.start).toBeGreaterThanOrEqual(0);
      expect(e.end).toBeLessThan(sentences[e.sentence]!.length);
      for (let i = e.start; i <= e.end; i++) {
        expect(used.has(`${e.sentence}:${i}`)).toBe(false);
        used.add(`${e.sentence}:${i}`);
      }
    }
  }
});

test('in default mode every B-/I- tag belongs to exactly one entity; in strict mode every B- tag starts one', () => {
  const covered = getEntities(sentences).reduce((n, e) => n + e.end - e.start + 1, 0);
  expect(covered).toBe(sentences.flat().filter((t) => t !== 'O').length);
  expect(getStrictIob2Entities(sentences).length).toBe(sentences.flat().filter((t) => t.startsWith('B-')).length);
});

test('predictions equal to gold score F1 1 in both modes', () => {
  expect(entityScores(sentences, sentences, 'default').micro.f1).toBe(1);
  expect(entityScores(sentences, sentences, 'strict').micro.f1).toBe(1);
});
