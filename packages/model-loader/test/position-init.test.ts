/**
 * `position_init: sinusoidal` (model-loader/create): the learned position table starts as Vaswani
 * et al.'s sinusoids scaled to a normal row's norm; every other parameter is the normal init's.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { createModel, parseBertConfig } from '../src/index.ts';
import { sinusoidalPositions } from '../src/bert/init.ts';
import { useBackend } from './helpers/backend.ts';

beforeAll(() => useBackend('cpu'));

const TABLE = 'bert.embeddings.position_embeddings.weight';
const config = (extra: object = {}) =>
  parseBertConfig({ model_type: 'bert', vocab_size: 40, hidden_size: 64, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 48, ...extra }, 'test config');

const rows = (t: tf.Tensor) => t.arraySync() as number[][];
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / (norm(a) * norm(b));

describe('position_init', () => {
  test('sinusoidal: sin on even, cos on odd dimensions, each row of norm std·√width', () => {
    const table = rows(sinusoidalPositions(48, 64, 0.02));
    expect(table[0]!.slice(0, 4)).toEqual([0, 0.02 * Math.SQRT2, 0, 0.02 * Math.SQRT2].map((x) => Math.fround(x)));
    expect(table[5]![0]).toBeCloseTo(Math.sin(5) * 0.02 * Math.SQRT2, 7);
    expect(table[5]![3]).toBeCloseTo(Math.cos(5 / Math.pow(10000, 2 / 64)) * 0.02 * Math.SQRT2, 7);
    for (const row of table) expect(norm(row)).toBeCloseTo(0.02 * Math.sqrt(64), 5);
  });

  test('neighbouring positions are similar and far ones less so; a normal table has no such structure', () => {
    const sinusoidal = createModel(config(), 'masked-lm', 7, { positionInit: 'sinusoidal' });
    const normal = createModel(config(), 'masked-lm', 7);
    const s = rows(sinusoidal.params.get(TABLE)!);
    const n = rows(normal.params.get(TABLE)!);
    const mean = (t: number[][], offset: number) => t.slice(0, 48 - offset).reduce((sum, row, i) => sum + cosine(row, t[i + offset]!), 0) / (48 - offset);
    expect(mean(s, 1)).toBeGreaterThan(0.8);
    expect(mean(s, 1)).toBeGreaterThan(mean(s, 20) + 0.2);
    expect(Math.abs(mean(n, 1))).toBeLessThan(0.15);
    sinusoidal.dispose();
    normal.dispose();
  });

  test('every other parameter is the normal init (same seed); factorised embeddings get a table of width embedding_size', () => {
    const sinusoidal = createModel(config(), 'masked-lm', 7, { positionInit: 'sinusoidal' });
    const normal = createModel(config(), 'masked-lm', 7);
    for (const [name, variable] of normal.params) {
      if (name === TABLE) continue;
      expect([name, Array.from(sinusoidal.params.get(name)!.dataSync())]).toEqual([name, Array.from(variable.dataSync())]);
    }
    expect(Array.from(sinusoidal.params.get(TABLE)!.dataSync())).toEqual(Array.from(sinusoidalPositions(48, 64, 0.02).dataSync()));
    const factorised = createModel(config({ embedding_size: 24 }), 'masked-lm', 7, { positionInit: 'sinusoidal' });
    expect(factorised.params.get(TABLE)!.shape).toEqual([48, 24]);
    expect(norm(rows(factorised.params.get(TABLE)!)[3]!)).toBeCloseTo(0.02 * Math.sqrt(24), 5);
    for (const model of [sinusoidal, normal, factorised]) model.dispose();
  });
});
