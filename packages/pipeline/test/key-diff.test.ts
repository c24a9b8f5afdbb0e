/** What changed between two cache keys: paths into the component object, and the reason line. */
import { describe, expect, test } from '@jest/globals';
import { describeKeyChanges, diffKeyComponents, keyPathText, summarizeKeyChanges } from '../src/cache/key-diff.ts';
import { missReason } from '../src/runner/miss-reason.ts';
import { KEY_FORMAT, type CacheKeyComponents } from '../src/cache/cache-key.ts';
import type { LastKey } from '../src/records/last-keys.ts';

const D1 = 'a'.repeat(64);
const D2 = 'b'.repeat(64);

const base: CacheKeyComponents = {
  format: KEY_FORMAT,
  stage: 'training/fine-tune',
  plugin: { name: '@tunekit/training', version: '0.1.0' },
  stageVersion: '1',
  params: { learning_rate: 5e-4, schedule: { warmup: 10 } },
  paramFiles: {},
  inputs: { dataset: D1, training: [{ coords: { strategy: 'lora' }, digest: D1 }] },
  seed: 42,
  fingerprint: { platform: 'linux-x64', backend: 'wasm', gemm: 'xnnpack' },
};

/** The reason line for `after` against `before`. */
function reason(after: Partial<CacheKeyComponents> & Record<string, unknown>, before: Record<string, unknown> = base as unknown as Record<string, unknown>): string {
  const next = { ...before, ...after };
  return summarizeKeyChanges(describeKeyChanges(diffKeyComponents(before, next), before, next));
}

describe('diffKeyComponents', () => {
  test('names every changed leaf by its path, nested objects and arrays included', () => {
    const after = { ...base, params: { learning_rate: 1e-3, schedule: { warmup: 20 } }, inputs: { ...base.inputs, training: [{ coords: { strategy: 'lora' }, digest: D2 }] } };
    expect(diffKeyComponents(base, after).map((change) => keyPathText(change.path))).toEqual(['inputs.training[0].digest', 'params.learning_rate', 'params.schedule.warmup']);
  });

  test('identical components have no changes; key order does not matter', () => {
    const reordered = Object.fromEntries(Object.entries(structuredClone(base)).reverse());
    expect(Object.keys(reordered)[0]).toBe('fingerprint');
    expect(diffKeyComponents(base, reordered)).toEqual([]);
  });

  test('a component added later (code of an import graph) is diffed like any other', () => {
    const before = { ...base, code: { files: { 'plugins/stage.ts': D1, 'plugins/helper.ts': D1 } } };
    const after = { ...base, code: { files: { 'plugins/stage.ts': D1, 'plugins/helper.ts': D2 } } };
    const changes = diffKeyComponents(before, after);
    expect(changes.map((change) => keyPathText(change.path))).toEqual(['code.files["plugins/helper.ts"]']);
    expect(describeKeyChanges(changes, before, after)).toEqual(['code plugins/helper.ts changed']);
  });

  test('code packages: a workspace package by its source digest, a third-party one by version', () => {
    const before = { ...base, code: { packages: { '@tunekit/training': `sha256:${D1}`, yaml: '2.9.0' } } };
    expect(reason({ code: { packages: { '@tunekit/training': `sha256:${D2}`, yaml: '2.10.0' } } }, before)).toBe('code @tunekit/training changed; code yaml 2.9.0 → 2.10.0');
  });

  test('a nested param is named by its dotted path', () => {
    expect(reason({ params: { learning_rate: 5e-4, schedule: { warmup: 20 } } })).toBe('param schedule.warmup 10 → 20');
  });
});

describe('the reason line names the changed part', () => {
  test('param, with old and new value', () => {
    expect(reason({ params: { learning_rate: 1e-3, schedule: { warmup: 10 } } })).toBe('param learning_rate 0.0005 → 0.001');
  });

  test('param added and removed', () => {
    expect(reason({ params: { learning_rate: 5e-4, schedule: { warmup: 10 }, epochs: 3 } })).toBe('param epochs added (3)');
    expect(reason({ params: { learning_rate: 5e-4 } })).toBe('param schedule removed');
  });

  test('a new key layout comes first, then what it added', () => {
    const before = { ...base, format: 1 } as unknown as Record<string, unknown>;
    expect(reason({ format: 2, code: { files: { 'plugins/stage.ts': D1 } } }, before)).toBe('key format 1 → 2; code added');
  });

  test('input digest: "changed", once per input (collections too)', () => {
    expect(reason({ inputs: { ...base.inputs, dataset: D2 } })).toBe('input dataset changed');
    expect(reason({ inputs: { ...base.inputs, training: [{ coords: { strategy: 'lora' }, digest: D2 }, { coords: { strategy: 'full' }, digest: D2 }] } })).toBe('input training changed');
  });

  test('code: a package version, a local module\'s content', () => {
    expect(reason({ plugin: { name: '@tunekit/training', version: '0.2.0' } })).toBe('code @tunekit/training 0.1.0 → 0.2.0');
    const local = { ...base, plugin: { name: 'file:plugins/stage.ts', version: `sha256:${D1}` } } as unknown as Record<string, unknown>;
    expect(reason({ plugin: { name: 'file:plugins/stage.ts', version: `sha256:${D2}` } }, local)).toBe('code plugins/stage.ts changed');
  });

  test('runtime fingerprint field, seed, stage version', () => {
    expect(reason({ fingerprint: { ...base.fingerprint, gemm: 'openblas 0.3.21 Haswell' } })).toBe('runtime gemm xnnpack → openblas 0.3.21 Haswell');
    expect(reason({ seed: 7 })).toBe('seed 42 → 7');
    expect(reason({ stageVersion: '2' })).toBe('stage version 1 → 2');
  });

  test('more than three changes: the first three and a count', () => {
    expect(reason({ seed: 7, stageVersion: '2', fingerprint: { ...base.fingerprint, gemm: 'openblas' }, params: { learning_rate: 1, schedule: { warmup: 10 } } })).toBe(
      'runtime gemm xnnpack → openblas; param learning_rate 0.0005 → 1; seed 42 → 7; and 1 more',
    );
  });
});

describe('missReason', () => {
  const last = (over: Partial<LastKey> = {}): LastKey => ({ pipeline: 'p', stageId: 's', key: 'k1', components: base, status: 'ran', runId: 'r', at: '', ...over });

  test('no last run: "never run"', () => {
    expect(missReason(undefined, 'k1', base).reason).toBe('never run');
  });

  test('same key as last time: the entry is gone, or the stage failed', () => {
    expect(missReason(last(), 'k1', base).reason).toBe('same key, cache entry gone (removed or gc)');
    expect(missReason(last({ status: 'failed' }), 'k1', base).reason).toBe('failed last time');
  });

  test('another key: the changed parts, with the structured changes', () => {
    const miss = missReason(last(), 'k2', { ...base, seed: 1 });
    expect(miss).toEqual({ reason: 'seed 42 → 1', changes: [{ path: ['seed'], before: 42, after: 1 }] });
  });
});
