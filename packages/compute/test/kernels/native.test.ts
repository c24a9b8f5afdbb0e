import { afterAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { nativeStatus } from '@tunekit/native';
import { activation, dropout, dropoutMask, layerNorm } from '../../src/ops/index.ts';
import { activeNativeKernels, NATIVE_ENV, nativeSetting, useNativeKernels } from '../../src/kernels/native/select.ts';
import { geluNative, hasNativeGelu } from '../../src/kernels/native/gelu.ts';
import { maxRelError, randn, useBackend } from '../helpers/backends.ts';

// Where the addon is missing these are skipped, unless TUNEKIT_NATIVE=1 requires it (CI does).
const suite = nativeStatus().available || process.env[NATIVE_ENV] === '1' ? describe : describe.skip;
const initial = activeNativeKernels() !== undefined;

/** Runs `build` on wasm with native kernels on and off; returns both results as arrays. */
async function nativeAndJs(build: () => tf.Tensor | tf.Tensor[]): Promise<{ native: Float32Array[]; js: Float32Array[] }> {
  await useBackend('wasm');
  const run = (on: boolean) => {
    useNativeKernels(on);
    const result = tf.tidy(build);
    const list = Array.isArray(result) ? result : [result];
    const data = list.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(list);
    return data;
  };
  return { native: run(true), js: run(false) };
}

const plainGelu = (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));

suite('native kernels on wasm (@tunekit/native)', () => {
  afterAll(() => {
    useNativeKernels(initial);
  });

  it('LayerNorm forward and all three gradients are bit-identical to the JavaScript kernels', async () => {
    const { native, js } = await nativeAndJs(() => {
      const [x, g, b, w] = [tf.add(tf.mul(randn([4, 9, 48], 1), 3), 0.5), tf.add(1, tf.mul(randn([48], 2), 0.2)), randn([48], 3), randn([4, 9, 48], 4)];
      const f = (a: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-12), w));
      return [layerNorm(x, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5), ...tf.grads(f)([x, g, b])];
    });
    expect(native.map((a) => Array.from(a))).toEqual(js.map((a) => Array.from(a)));
  });

  it('draws dropout masks bit-identical to the JavaScript mask, and the same dropout output', async () => {
    const { native, js } = await nativeAndJs(() => [dropout(tf.ones([3, 7, 129]), 0.1, 12345), dropout(randn([2, 50], 5), 0.5, 4294967295)]);
    expect(native.map((a) => Array.from(a))).toEqual(js.map((a) => Array.from(a)));
    expect(Array.from(native[0])).toEqual(Array.from(dropoutMask(3 * 7 * 129, 0.1, 12345)));
  });

  it('uses the fused GELU only while native kernels are active on wasm', async () => {
    await useBackend('wasm');
    useNativeKernels(true);
    expect(hasNativeGelu()).toBe(true);
    useNativeKernels(false);
    expect(hasNativeGelu()).toBe(false);
    await useBackend('cpu');
    useNativeKernels(true);
    expect(hasNativeGelu()).toBe(false);
  });

  it('GELU forward and gradient agree with the plain tfjs erf form', async () => {
    await useBackend('wasm');
    useNativeKernels(true);
    const x = tf.mul(randn([6, 200], 6), 3);
    const w = randn([6, 200], 7);
    const [fast, plain] = [geluNative(x), plainGelu(x)];
    expect(maxRelError(fast.dataSync(), plain.dataSync())).toBeLessThan(1e-6);
    const grad = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), w)))(x);
    expect(maxRelError(grad(geluNative).dataSync(), grad(plainGelu).dataSync())).toBeLessThan(2e-6);
    expect(maxRelError(activation(x, 'gelu').dataSync(), fast.dataSync())).toBe(0); // activation('gelu') takes the fused path
  });

  it('GELU gradient matches central finite differences (float64 reference)', async () => {
    await useBackend('wasm');
    useNativeKernels(true);
    const xs = [-6, -3.1, -1.2, -0.4, -1e-3, 0, 2e-3, 0.3, 0.9, 1.7, 2.5, 4.2, 8];
    const gelu64 = (v: number) => 0.5 * v * (1 + erf64(v / Math.SQRT2));
    const analytic = tf.grad((t: tf.Tensor) => tf.sum(geluNative(t)))(tf.tensor1d(xs)).dataSync();
    xs.forEach((v, i) => {
      const h = 1e-4;
      const numeric = (gelu64(v + h) - gelu64(v - h)) / (2 * h);
      expect(Math.abs(analytic[i] - numeric)).toBeLessThan(2e-6);
    });
  });

  it('reads inputs allocated after the heap grew', async () => {
    const { native, js } = await nativeAndJs(() => {
      const big = tf.fill([64, 1024, 1024], 0.25); // 256 MB: the heap grows
      return tf.add(layerNorm(randn([5, 32], 8), tf.ones([32]) as tf.Tensor1D, tf.zeros([32]) as tf.Tensor1D, 1e-5), tf.mul(tf.sum(big), 0));
    });
    expect(Array.from(native[0])).toEqual(Array.from(js[0]));
  });
});

describe('TUNEKIT_NATIVE', () => {
  it('is off with 0, required with 1, automatic when unset; anything else is an error', () => {
    expect(nativeSetting({ TUNEKIT_NATIVE: '0' })).toBe(false);
    expect(nativeSetting({ TUNEKIT_NATIVE: '1' })).toBe(true);
    expect(nativeSetting({})).toBeUndefined();
    expect(() => nativeSetting({ TUNEKIT_NATIVE: 'yes' })).toThrow(/TUNEKIT_NATIVE="yes" must be 0 \(off\) or 1 \(required\)/);
  });
});

/** erf in float64: Maclaurin series below 3, continued fraction above (both to ~1e-15). */
function erf64(x: number): number {
  const a = Math.abs(x);
  let r: number;
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 200; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
      if (Math.abs(term) < 1e-17) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    let f = 0;
    for (let n = 60; n >= 1; n--) f = n / 2 / (a + f);
    r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f);
  }
  return x < 0 ? -r : r;
}
