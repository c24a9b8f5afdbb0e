import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, adamwStep, hfNoDecay, referenceAdamW } from '../../src/optim/adamw.ts';
import { ADAMW_KERNEL } from '../../src/kernels/adamw/op.ts';
import { maxRelError, randn } from '../helpers/backends.ts';
import { clipByGlobalNorm } from '../../src/optim/clip.ts';
import { useBackend } from '../helpers/backends.ts';

/** torch.optim.AdamW on one scalar, written out in float64 (lr 0.1, betas 0.9/0.999, eps 1e-8, wd 0.01). */
function torchAdamW(p: number, grads: number[], wd: number): number {
  let m = 0;
  let v = 0;
  grads.forEach((g, i) => {
    const t = i + 1;
    p *= 1 - 0.1 * wd;
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * g * g;
    p -= (0.1 * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
  });
  return p;
}

describe.each(['cpu', 'wasm'] as const)('AdamW on %s', (backend) => {
  it('follows torch.optim.AdamW step by step (decoupled decay, bias correction)', async () => {
    await useBackend(backend);
    const w = tf.variable(tf.tensor1d([1.5, -2]), true, `w-${backend}-1`);
    const opt = new AdamW(new Map([['layer.weight', w]]), { lr: 0.1, weightDecay: 0.01 });
    const grads = [0.3, -0.7, 0.05];
    for (const g of grads) opt.step({ 'layer.weight': tf.tensor1d([g, 2 * g]) });
    const got = w.dataSync();
    expect(got[0]).toBeCloseTo(torchAdamW(1.5, grads, 0.01), 6);
    expect(got[1]).toBeCloseTo(torchAdamW(-2, grads.map((g) => 2 * g), 0.01), 6);
    expect(opt.iterations).toBe(3);
  });

  it('does not decay biases and LayerNorm weights (HF Trainer convention)', async () => {
    await useBackend(backend);
    const b = tf.variable(tf.tensor1d([1]), true, `b-${backend}-2`);
    const opt = new AdamW(new Map([['encoder.LayerNorm.weight', b]]), { lr: 0.1, weightDecay: 0.5 });
    opt.step({ 'encoder.LayerNorm.weight': tf.tensor1d([0.2]) });
    expect(b.dataSync()[0]).toBeCloseTo(torchAdamW(1, [0.2], 0), 6);
    expect([hfNoDecay('a.bias'), hfNoDecay('x.LayerNorm.weight'), hfNoDecay('x.dense.weight')]).toEqual([true, true, false]);
  });

  it('gives each update a fresh buffer (XNNPACK caches packed weights per tensor)', async () => {
    await useBackend(backend);
    const w = tf.variable(tf.ones([2, 2]), true, `w-${backend}-3`);
    const before = w.dataId;
    new AdamW(new Map([['w', w]]), { lr: 0.1 }).step({ w: tf.ones([2, 2]) });
    expect(w.dataId).not.toBe(before);
  });

  it(`${backend === 'cpu' ? 'runs as one fused kernel that matches' : 'matches'} the tfjs-ops reference over several steps`, async () => {
    await useBackend(backend);
    expect(tf.getKernel(ADAMW_KERNEL, backend)).toBeDefined();
    const init = randn([64, 33], 5);
    const fused = tf.variable(init.clone(), true, `fused-${backend}`);
    const slot = { m: tf.variable(tf.zeros([64, 33]), false), v: tf.variable(tf.zeros([64, 33]), false) };
    let [p, m, v] = [init.clone(), tf.zeros([64, 33]), tf.zeros([64, 33])];
    const hyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };
    for (let t = 1; t <= 5; t++) {
      const g = randn([64, 33], 100 + t);
      adamwStep(fused, g, slot, t, hyper);
      const next = referenceAdamW(p, g, m, v, hyper, 1 - 0.9 ** t, 1 - 0.999 ** t);
      tf.dispose([p, m, v, g]);
      [p, m, v] = next as [tf.Tensor, tf.Tensor, tf.Tensor];
    }
    expect(maxRelError(fused.dataSync(), p.dataSync())).toBeLessThan(1e-6);
    expect(maxRelError(slot.m.dataSync(), m.dataSync())).toBeLessThan(1e-6);
    expect(maxRelError(slot.v.dataSync(), v.dataSync())).toBeLessThan(1e-6);
    expect(maxRelError(fused.dataSync(), init.dataSync())).toBeGreaterThan(1e-3);
  });

  it('rejects a gradient for an unknown parameter by name', async () => {
    await useBackend(backend);
    const opt = new AdamW(new Map(), {});
    expect(() => opt.step({ 'missing.weight': tf.ones([1]) })).toThrow('AdamW.step: no parameter named "missing.weight"');
  });
});

describe('the fused AdamW kernel on wasm (registered, not used by adamwStep there: slower than the tfjs ops)', () => {
  it('gives the reference update', async () => {
    await useBackend('wasm');
    const [p, g, m, v] = [randn([300], 1), randn([300], 2), randn([300], 3), tf.abs(randn([300], 4))];
    const hyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };
    const fused = tf.engine().runKernel(ADAMW_KERNEL, { p, g, m, v }, { ...hyper, bc1: 0.19, bc2: 0.002 }) as tf.Tensor[];
    const reference = referenceAdamW(p, g, m, v, hyper, 0.19, 0.002);
    fused.forEach((t, i) => expect(maxRelError(t.dataSync(), reference[i]!.dataSync())).toBeLessThan(1e-6));
  });
});

describe('AdamW with TUNEKIT_REFERENCE_OPS=1 (the tfjs-ops path)', () => {
  it('follows torch.optim.AdamW on cpu too', async () => {
    await useBackend('cpu');
    process.env.TUNEKIT_REFERENCE_OPS = '1';
    try {
      const w = tf.variable(tf.tensor1d([1.5]), true, 'w-reference');
      const opt = new AdamW(new Map([['layer.weight', w]]), { lr: 0.1, weightDecay: 0.01 });
      for (const g of [0.3, -0.7, 0.05]) opt.step({ 'layer.weight': tf.tensor1d([g]) });
      expect(w.dataSync()[0]).toBeCloseTo(torchAdamW(1.5, [0.3, -0.7, 0.05], 0.01), 6);
    } finally {
      delete process.env.TUNEKIT_REFERENCE_OPS;
    }
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all gradients by max_norm / (norm + 1e-6) when the global norm exceeds max_norm, as torch', async () => {
    await useBackend('cpu');
    const clipped = clipByGlobalNorm({ a: tf.tensor1d([3]), b: tf.tensor1d([4]) }, 1);
    expect(clipped.a.dataSync()[0]).toBeCloseTo(3 / (5 + 1e-6), 6);
    expect(clipped.b.dataSync()[0]).toBeCloseTo(4 / (5 + 1e-6), 6);
  });

  it('leaves gradients untouched below max_norm', async () => {
    await useBackend('cpu');
    const grads = { a: tf.tensor1d([0.3]) };
    expect(clipByGlobalNorm(grads, 1).a).toBe(grads.a);
  });
});
