/**
 * AdamW with PyTorch `torch.optim.AdamW` semantics (decoupled weight decay, bias-corrected moments,
 * eps added after the square root). `adamwStep` updates one parameter either with the tfjs ops of
 * `referenceAdamW` (12 element-wise passes) or with one fused JavaScript kernel (`kernels/adamw`,
 * float64 per element). The fused kernel is used where it pays (`bench/adamw-step.ts`, 4.4M
 * parameters): on cpu 137 ms vs 1,555 ms per update (load ~3); on wasm it does not (145 vs 133 ms: wasm's
 * SIMD element-wise kernels beat one scalar JavaScript pass), so wasm keeps the tfjs ops.
 * `TUNEKIT_REFERENCE_OPS=1` forces the reference everywhere. Never updates a buffer in place:
 * XNNPACK caches packed matMul weights per tensor id, so every step writes fresh tensors and
 * `Variable.assign`s them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { adamwFused, hasFastAdamW } from '../kernels/adamw/op.ts';
import { fastPathsEnabled } from '../ops/index.ts';

export interface AdamWHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export interface AdamWSlot {
  m: tf.Variable;
  v: tf.Variable;
}

/**
 * One AdamW update of `param` with gradient `grad` at step `step` (1-based). Assigns new values to
 * `param`, `slot.m` and `slot.v`.
 */
export function adamwStep(param: tf.Variable, grad: tf.Tensor, slot: AdamWSlot, step: number, hyper: AdamWHyper): void {
  const bc1 = 1 - hyper.beta1 ** step;
  const bc2 = 1 - hyper.beta2 ** step;
  const fused = fastPathsEnabled() && tf.getBackend() === 'cpu' && hasFastAdamW();
  const [p, m, v] = fused ? tf.tidy(() => adamwFused(param, grad, slot.m, slot.v, { ...hyper, bc1, bc2 })) : referenceAdamW(param, grad, slot.m, slot.v, hyper, bc1, bc2);
  param.assign(p);
  slot.m.assign(m);
  slot.v.assign(v);
  tf.dispose([p, m, v]);
}

/** The AdamW update of one tensor: returns new [param, m, v]. */
export function referenceAdamW(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, h: AdamWHyper, bc1: number, bc2: number): tf.Tensor[] {
  return tf.tidy(() => {
    const m2 = tf.add(tf.mul(m, h.beta1), tf.mul(g, 1 - h.beta1));
    const v2 = tf.add(tf.mul(v, h.beta2), tf.mul(tf.square(g), 1 - h.beta2));
    const denom = tf.add(tf.div(tf.sqrt(v2), Math.sqrt(bc2)), h.eps);
    const decayed = tf.mul(p, 1 - h.lr * h.weightDecay);
    const p2 = tf.sub(decayed, tf.mul(tf.div(m2, denom), h.lr / bc1));
    return [p2, m2, v2];
  });
}

export interface AdamWOptions extends Partial<AdamWHyper> {
  /** Parameter names that get no weight decay (PyTorch/HF convention: biases and LayerNorm weights). */
  noDecay?: (name: string) => boolean;
}

/** HF Trainer's default: no decay for biases and LayerNorm weights. */
export const hfNoDecay = (name: string): boolean => name.endsWith('.bias') || /LayerNorm\.weight$/.test(name);

/** AdamW over named parameters; `step(grads, lr)` applies one update to every parameter in `grads`. */
export class AdamW {
  readonly hyper: AdamWHyper;
  private readonly slots = new Map<string, AdamWSlot>();
  private readonly noDecay: (name: string) => boolean;
  private t = 0;

  constructor(private readonly params: Map<string, tf.Variable>, options: AdamWOptions = {}) {
    this.hyper = { lr: 5e-5, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, ...options };
    this.noDecay = options.noDecay ?? hfNoDecay;
  }

  get iterations(): number {
    return this.t;
  }

  step(grads: Record<string, tf.Tensor> | Map<string, tf.Tensor>, lr = this.hyper.lr): void {
    this.t++;
    const entries = grads instanceof Map ? [...grads] : Object.entries(grads);
    for (const [name, grad] of entries) {
      const param = this.params.get(name);
      if (!param) throw new Error(`AdamW.step: no parameter named "${name}"`);
      let slot = this.slots.get(name);
      if (!slot) {
        slot = { m: zeroVariable(param), v: zeroVariable(param) };
        this.slots.set(name, slot);
      }
      adamwStep(param, grad, slot, this.t, { ...this.hyper, lr, weightDecay: this.noDecay(name) ? 0 : this.hyper.weightDecay });
    }
  }

  dispose(): void {
    for (const slot of this.slots.values()) tf.dispose([slot.m, slot.v]);
    this.slots.clear();
  }
}

function zeroVariable(like: tf.Tensor): tf.Variable {
  const zeros = tf.zerosLike(like);
  const variable = tf.variable(zeros, false);
  zeros.dispose();
  return variable;
}
