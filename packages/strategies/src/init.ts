/** Seeded parameter initialisers (tfjs random ops with an explicit seed are backend-independent). */
import * as tf from '@tensorflow/tfjs-core';

/** A stable 31-bit hash of a string, to derive one seed per parameter name. */
export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) & 0x7fffffff;
}

export function paramSeed(seed: number, name: string): number {
  return (hashString(name) ^ Math.imul(seed + 1, 2654435761)) >>> 0;
}

/** A new trainable variable (auto-named by tfjs, so two models in one process never clash). */
export function newVariable(initial: tf.Tensor): tf.Variable {
  const variable = tf.variable(initial, true);
  initial.dispose();
  return variable;
}

export function normalInit(shape: number[], std: number, seed: number): tf.Variable {
  return newVariable(tf.randomNormal(shape, 0, std, 'float32', seed));
}

export function uniformInit(shape: number[], bound: number, seed: number): tf.Variable {
  return newVariable(tf.randomUniform(shape, -bound, bound, 'float32', seed));
}

export function zerosInit(shape: number[]): tf.Variable {
  return newVariable(tf.zeros(shape));
}
