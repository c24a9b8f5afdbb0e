import { expect, test } from '@jest/globals';
import { stages } from '../src/stages/index.ts';

test('the package exports its stages with unique ids and JSON-schema params', () => {
  expect(stages.map((s) => s.id).sort()).toEqual([
    'evaluation/baseline-dictionary',
    'evaluation/baseline-zero-shot',
    'evaluation/calibrate',
    'evaluation/classification',
    'evaluation/forgetting',
    'evaluation/ner',
    'evaluation/report',
  ]);
  for (const s of stages) expect(s.params.type).toBe('object');
});
