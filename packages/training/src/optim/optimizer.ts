/**
 * AdamW over named parameters with a saveable state (moments + step count), built on compute's
 * `adamwStep` (PyTorch AdamW semantics; a fused kernel on cpu, tfjs ops on wasm). Weight decay is decoupled and
 * skipped for biases and LayerNorm parameters.
 */
import * as tf from '@tensorflow/tfjs-core';
import { adamwStep, type AdamWSlot } from '@tunekit/compute';
import { isBiasOrLayerNorm } from '@tunekit/strategies';

export interface OptimizerOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export class NamedAdamW {
  private readonly slots = new Map<string, AdamWSlot>();
  /** Optimizer steps taken so far (AdamW's bias-correction counter). */
  step = 0;

  constructor(
    private readonly params: Map<string, tf.Variable>,
    private readonly options: OptimizerOptions,
  ) {}

  /** One update of every parameter named in `grads` with learning rate `lr`. */
  apply(grads: Map<string, tf.Tensor>, lr: number): void {
    this.step++;
    for (const [name, grad] of grads) {
      const param = this.params.get(name);
      if (!param) throw new Error(`optimizer: no parameter named "${name}"`);
      adamwStep(param, grad, this.slot(name, param), this.step, {
        lr,
        beta1: this.options.beta1,
        beta2: this.options.beta2,
        eps: this.options.eps,
        weightDecay: isBiasOrLayerNorm(name) ? 0 : this.options.weightDecay,
      });
    }
  }

  private slot(name: string, param: tf.Variable): AdamWSlot {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = { m: tf.variable(tf.zerosLike(param), false), v: tf.variable(tf.zerosLike(param), false) };
      this.slots.set(name, slot);
    }
    return slot;
  }

  /** Moments by `<name>.exp_avg` / `<name>.exp_avg_sq` (PyTorch's state names). */
  stateTensors(): Array<[string, tf.Tensor]> {
    const out: Array<[string, tf.Tensor]> = [];
    for (const [name, slot] of this.slots) out.push([`${name}.exp_avg`, slot.m], [`${name}.exp_avg_sq`, slot.v]);
    return out;
  }

  loadState(step: number, tensors: Map<string, { shape: number[]; values: Float32Array }>): void {
    this.dispose();
    this.step = step;
    for (const [key, { shape, values }] of tensors) {
      const match = /^(.*)\.(exp_avg|exp_avg_sq)$/.exec(key);
      if (!match) throw new Error(`optimizer state: unexpected tensor "${key}"`);
      const name = match[1]!;
      const param = this.params.get(name);
      if (!param) throw new Error(`optimizer state: no parameter named "${name}"`);
      const slot = this.slot(name, param);
      const value = tf.tensor(values, shape, 'float32');
      (match[2] === 'exp_avg' ? slot.m : slot.v).assign(value);
      value.dispose();
    }
  }

  dispose(): void {
    for (const slot of this.slots.values()) tf.dispose([slot.m, slot.v]);
    this.slots.clear();
  }
}
