/// <reference path="../webassembly.d.ts" />
/**
 * The WebAssembly SIMD loops of kernels.wat, instantiated over a shared memory. They run the
 * data-parallel reduce (two gradient slots) and AdamW 4 lanes at a time: the float64 JavaScript
 * loops they replace took ~13 ms (sum) and ~31 ms (AdamW) per 2.2M elements in a worker.
 */
import { readFileSync } from 'node:fs';

export interface SimdKernels {
  /** out = a + b over n float32 (byte addresses); returns Σ out² in float64. */
  sumPair(a: number, b: number, out: number, n: number): number;
  /** AdamW in place on n elements of p, m, v with gradient g·scale (see kernels.wat for the constants). */
  adamw(p: number, g: number, m: number, v: number, n: number, scale: number, b1: number, c1: number, b2: number, c2: number, decay: number, step: number, inv: number, eps: number): void;
}

let compiled: WebAssembly.Module | undefined;

export function simdKernels(memory: WebAssembly.Memory): SimdKernels {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('./kernels.wasm', import.meta.url)));
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as SimdKernels;
}

export interface AdamWConstants {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step. */
  t: number;
}

/** AdamW of n elements at byte addresses p, g, m, v (gradient scaled by `scale`), torch.optim.AdamW semantics in float32. */
export function adamwSimd(k: SimdKernels, p: number, g: number, m: number, v: number, n: number, scale: number, c: AdamWConstants): void {
  const bc1 = 1 - c.beta1 ** c.t;
  const bc2 = 1 - c.beta2 ** c.t;
  k.adamw(p, g, m, v, n, scale, c.beta1, 1 - c.beta1, c.beta2, 1 - c.beta2, 1 - c.lr * c.weightDecay, c.lr / bc1, 1 / Math.sqrt(bc2), c.eps);
}
