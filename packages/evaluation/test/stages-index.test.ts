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

test('stages that run a model put the compute runtime fingerprint (backend, tfjs versions) in their cache key; the others do not', async () => {
  const { runtimeFingerprint } = await import('@tunekit/compute/fingerprint');
  const runsModel = ['evaluation/baseline-zero-shot', 'evaluation/calibrate', 'evaluation/classification', 'evaluation/forgetting', 'evaluation/ner'];
  for (const s of stages) {
    if (runsModel.includes(s.id)) expect(await s.fingerprint!({} as never, { pipelineDir: '.', workspaceRoot: '.' })).toEqual({ ...runtimeFingerprint() });
    else expect(s.fingerprint).toBeUndefined();
  }
});
