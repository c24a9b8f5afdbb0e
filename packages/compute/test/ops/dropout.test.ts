import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { dropout, dropoutMask } from '../../src/ops/index.ts';
import { onCpuAndWasm, randn, useBackend } from '../helpers/backends.ts';

describe('dropout (counter-hash mask)', () => {
  it('drops about `rate` of the elements and scales the others by 1/(1-rate)', () => {
    for (const rate of [0.1, 0.5]) {
      const mask = dropoutMask(200_000, rate, 7);
      const kept = mask.filter((m) => m !== 0);
      expect(Math.abs(1 - kept.length / mask.length - rate)).toBeLessThan(0.005);
      expect(new Set(kept)).toEqual(new Set([Math.fround(1 / (1 - rate))]));
    }
  });

  it('keeps neighbouring elements independent (no runs, no period)', () => {
    const mask = dropoutMask(100_000, 0.5, 3);
    let same = 0;
    for (let i = 1; i < mask.length; i++) if ((mask[i] === 0) === (mask[i - 1] === 0)) same++;
    expect(Math.abs(same / (mask.length - 1) - 0.5)).toBeLessThan(0.01);
  });

  it('repeats for the same seed, differs between seeds', () => {
    expect(dropoutMask(1000, 0.1, 42)).toEqual(dropoutMask(1000, 0.1, 42));
    expect(dropoutMask(1000, 0.1, 42)).not.toEqual(dropoutMask(1000, 0.1, 43));
  });

  it('rejects a rate outside [0, 1)', () => {
    expect(() => dropoutMask(10, 1, 0)).toThrow(/\[0, 1\)/);
    expect(() => dropoutMask(10, -0.1, 0)).toThrow(/\[0, 1\)/);
  });

  it('is the identity at rate 0', async () => {
    await useBackend('cpu');
    const x = randn([3, 4], 1);
    expect(dropout(x, 0, 5)).toBe(x);
  });

  it('gives the same values and gradient (dy · mask) on cpu and wasm', async () => {
    const build = () => {
      const x = randn([4, 8, 16], 11);
      const dy = randn([4, 8, 16], 12);
      const [y] = [dropout(x, 0.3, 99)];
      const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(dropout(input, 0.3, 99), dy)))(x);
      const expected = tf.mul(dy, tf.tensor(dropoutMask(x.size, 0.3, 99), x.shape));
      return [y, dx, expected];
    };
    const { cpu, wasm } = await onCpuAndWasm(build);
    expect(wasm[0]).toEqual(cpu[0]);
    expect(cpu[1]).toEqual(cpu[2]);
    expect(wasm[1]).toEqual(wasm[2]);
  });
});
