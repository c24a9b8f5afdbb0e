import { describe, expect, test } from '@jest/globals';
import { parseSearchFilter, runMatches } from '../../src/client/search-filter.ts';
import type { Run } from '../../src/client/types.ts';

const run: Run = {
  info: { runId: 'a'.repeat(32), experimentId: '0', runName: 'train[strategy=lora]', userId: 'u', status: 'FINISHED', startTime: 1, artifactUri: '', lifecycleStage: 'active' },
  metrics: [{ key: 'f1', value: 0.8, timestamp: 1, step: 3 }],
  params: [{ key: 'optimizer.lr', value: '0.0005' }],
  tags: [{ key: 'tunekit.run_id', value: "r'1" }, { key: 'tunekit.stage_id', value: 'train' }],
};

describe('run search filter (MLflow syntax subset)', () => {
  test('quoted tag keys with dots and escaped quotes in values match', () => {
    expect(runMatches(run, parseSearchFilter("tags.`tunekit.run_id` = 'r\\'1' and tags.\"tunekit.stage_id\" = 'train'"))).toBe(true);
    expect(runMatches(run, parseSearchFilter("tags.`tunekit.stage_id` = 'eval'"))).toBe(false);
  });

  test('params, metrics and attributes compare', () => {
    expect(runMatches(run, parseSearchFilter("params.`optimizer.lr` = '0.0005' and metrics.f1 > 0.5 and attributes.status = 'FINISHED'"))).toBe(true);
    expect(runMatches(run, parseSearchFilter("attributes.run_name = 'train[strategy=lora]'"))).toBe(true);
    expect(runMatches(run, parseSearchFilter('metrics.f1 < 0.5'))).toBe(false);
  });

  test('a malformed filter is an INVALID_PARAMETER_VALUE error naming the problem', () => {
    expect(() => parseSearchFilter("tags.x = 'a' or tags.y = 'b'")).toThrow("expected 'and' between comparisons");
    expect(() => parseSearchFilter("tags.x > 'a'")).toThrow('only = and != are supported for tags');
  });
});
