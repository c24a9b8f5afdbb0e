import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { startDataParallel, type DataParallel } from '../../src/parallel/data-parallel.ts';
import { buildLayout, ownedRange, segmentsIn } from '../../src/parallel/layout.ts';
import { AdamW } from '../../src/optim/adamw.ts';
import { clipByGlobalNorm } from '../../src/optim/clip.ts';
import { createReplica } from '../fixtures/mlp-replica.ts';
import { maxRelError, useBackend } from '../helpers/backends.ts';

const replicaModule = new URL('../fixtures/mlp-replica.ts', import.meta.url);

describe('parameter layout', () => {
  const layout = buildLayout([
    { name: 'a', shape: [4, 3] },
    { name: 'b', shape: [5] },
    { name: 'c', shape: [2, 2] },
  ]);

  it('places parameters back to back and splits the elements evenly, cutting through parameters', () => {
    expect(layout.total).toBe(21);
    expect(layout.entries.map((e) => e.offset)).toEqual([0, 12, 17]);
    expect([0, 1, 2].map((r) => ownedRange(21, r, 3))).toEqual([{ start: 0, end: 7 }, { start: 7, end: 14 }, { start: 14, end: 21 }]);
    expect(segmentsIn(layout, 7, 14).map((s) => [s.entry.name, s.start, s.end])).toEqual([['a', 7, 12], ['b', 12, 14]]);
  });
});

describe.each([
  [2, 'wasm'],
  [3, 'wasm'],
  [2, 'cpu'],
] as const)('startDataParallel (%i worker threads on %s, MLP fixture)', (workers, backend) => {
  let dp: DataParallel;
  let initial: Map<string, { shape: number[]; values: Float32Array }>;

  beforeAll(async () => {
    await useBackend('cpu');
    const env = { ...process.env, TUNEKIT_BACKEND: backend };
    dp = await startDataParallel({ module: replicaModule, workers, env, optimizer: { lr: 0.05, weightDecay: 0.1, maxGradNorm: 0.5 } });
    expect(dp.backend).toBe(backend);
    initial = dp.parameters();
  }, 60_000);
  afterAll(() => dp?.close());

  it('equals one process training on the whole batch: losses and parameters after 4 clipped AdamW steps', async () => {
    // Reference: the whole batch in this process, torch-style clip + AdamW from @tunekit/compute.
    const reference = await createReplica({ rank: 0, worldSize: 1, options: {} });
    for (const [name, v] of reference.params) v.assign(tf.tensor(initial.get(name)!.values, v.shape));
    const byVariable = new Map([...reference.params].map(([name, v]) => [name, v]));
    const optimizer = new AdamW(byVariable, { lr: 0.05, weightDecay: 0.1 });
    let clipped = 0;
    for (let step = 0; step < 4; step++) {
      const { loss, grads } = reference.lossAndGrads(step);
      const before = Object.fromEntries(grads);
      const after = clipByGlobalNorm(before, 0.5);
      if (after !== before) clipped++;
      optimizer.step(after, 0.05);
      const expected = loss.dataSync()[0];
      expect(Math.abs((await dp.step(0.05)) - expected) / expected).toBeLessThan(1e-5);
      tf.dispose([loss, ...grads.values(), ...Object.values(after)]);
    }
    expect(clipped).toBeGreaterThan(0); // the clip path ran
    const got = dp.parameters();
    for (const [name, v] of reference.params) {
      expect(maxRelError(got.get(name)!.values, v.dataSync())).toBeLessThan(1e-5);
      // and training moved it (weight decay at least)
      expect(maxRelError(got.get(name)!.values, initial.get(name)!.values)).toBeGreaterThan(1e-3);
    }
  }, 60_000);

  it('starts every replica from the owners’ values, whatever each one initialised', async () => {
    // Ranks initialise with different seeds: each owned element range comes from its owner.
    const flat = (params: Map<string, Float32Array>) => Float32Array.from([...params.values()].flatMap((v) => [...v]));
    const replicas = await Promise.all([...Array(workers).keys()].map((rank) => createReplica({ rank, worldSize: workers, options: {} })));
    const own = replicas.map((r) => flat(new Map([...r.params].map(([n, v]) => [n, v.dataSync() as Float32Array]))));
    const got = flat(new Map([...initial].map(([n, p]) => [n, p.values])));
    for (let rank = 0; rank < workers; rank++) {
      const { start, end } = ownedRange(dp.layout.total, rank, workers);
      expect(got.subarray(start, end)).toEqual(own[rank].subarray(start, end));
    }
    expect(maxRelError(own[0], own[1])).toBeGreaterThan(0.1);
  });
});

describe('stepShards, moments and restore (2 worker threads on wasm)', () => {
  const start = () => startDataParallel({ module: replicaModule, workers: 2, env: { ...process.env, TUNEKIT_BACKEND: 'wasm' }, optimizer: { lr: 0.05, weightDecay: 0.1, maxGradNorm: 0.5 } });
  const bytes = (params: Map<string, { values: Float32Array }>) => [...params.values()].map((p) => Buffer.from(p.values.buffer).toString('hex')).join();

  it('gives each replica its shard and reports the global gradient norm before clipping', async () => {
    const dp = await start();
    try {
      const initial = dp.parameters();
      const reference = await createReplica({ rank: 0, worldSize: 1, options: {} });
      for (const [name, v] of reference.params) v.assign(tf.tensor(initial.get(name)!.values, v.shape));
      const { loss, grads } = reference.lossAndGrads(0, 3);
      const norm = Math.sqrt([...grads.values()].reduce((a, g) => a + tf.sum(tf.square(g)).dataSync()[0], 0));
      const got = await dp.stepShards(0.05, [3, 3]);
      expect(Math.abs(got.loss - loss.dataSync()[0]) / got.loss).toBeLessThan(1e-5);
      expect(Math.abs(got.gradNorm - norm) / norm).toBeLessThan(1e-5);
      expect(norm).toBeGreaterThan(0.5); // clipped
      expect(dp.steps).toBe(1);
      await expect(dp.stepShards(0.05, [3])).rejects.toThrow('stepShards needs one shard per replica (2), got 1');
      tf.dispose([loss, ...grads.values()]);
    } finally {
      await dp.close();
    }
  }, 60_000);

  it('a run restored from parameters + moments + step count continues bit-identically', async () => {
    const a = await start();
    let snapshot: { steps: number; params: ReturnType<DataParallel['parameters']>; moments: ReturnType<DataParallel['moments']> };
    let expected: string;
    try {
      for (let s = 0; s < 2; s++) await a.step(0.05);
      snapshot = { steps: a.steps, params: a.parameters(), moments: a.moments() };
      expect([...snapshot.moments.values()].every((m) => m.m.some((x) => x !== 0) && m.v.some((x) => x > 0))).toBe(true);
      for (let s = 0; s < 2; s++) await a.step(0.05);
      expected = bytes(a.parameters());
    } finally {
      await a.close();
    }
    const b = await start();
    try {
      b.restore(snapshot);
      expect(b.steps).toBe(2);
      expect(bytes(b.parameters())).toBe(bytes(snapshot.params));
      for (let s = 0; s < 2; s++) await b.step(0.05);
      expect(bytes(b.parameters())).toBe(expected);
    } finally {
      await b.close();
    }
    // Without the moments (zeros) the continuation differs: the test can fail.
    const c = await start();
    try {
      c.restore({ steps: snapshot.steps, params: snapshot.params });
      for (let s = 0; s < 2; s++) await c.step(0.05);
      expect(bytes(c.parameters())).not.toBe(expected);
    } finally {
      await c.close();
    }
  }, 120_000);
});

describe('startDataParallel errors', () => {
  it('rejects a bad worker count', async () => {
    await expect(startDataParallel({ module: replicaModule, workers: 0 })).rejects.toThrow('workers must be an integer ≥ 1, got 0');
  });

  it('reports a replica that fails to start, by rank', async () => {
    await expect(startDataParallel({ module: replicaModule, workers: 2, options: { fail: 'create' } })).rejects.toThrow('data-parallel replica 1: replica refused to start (test)');
  }, 60_000);

  it('refuses replicas that build different parameters', async () => {
    await expect(startDataParallel({ module: replicaModule, workers: 2, options: { fail: 'shape' } })).rejects.toThrow('replica 1 built different parameters than replica 0');
  }, 60_000);

  it('fails the step when a replica throws, then stays failed', async () => {
    const dp = await startDataParallel({ module: replicaModule, workers: 2, options: { fail: 'step' } });
    try {
      await expect(dp.step()).rejects.toThrow('data-parallel replica 1: replica failed in its step (test)');
      await expect(dp.step()).rejects.toThrow('data-parallel replica 1: replica failed in its step (test)'); // the same error
    } finally {
      await dp.close();
    }
  }, 60_000);

  it('names a module without createReplica', async () => {
    await expect(startDataParallel({ module: new URL('../helpers/values.ts', import.meta.url), workers: 1 })).rejects.toThrow('does not export createReplica');
  }, 60_000);
});
