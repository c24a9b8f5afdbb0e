/**
 * Registers TuneKit's kernels for tfjs-backend-wasm (missing or slow ones), replacing tfjs's own
 * (kept in `originalKernels` for fallbacks). Idempotent; `unregisterFastKernels` restores tfjs's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { originalKernels } from './names.ts';
import { batchMatMulConfig } from './wasm/batch-mat-mul.ts';
import { gatherV2Config } from './wasm/gather.ts';
import { identityConfig } from './wasm/identity.ts';
import { sliceConfig } from './wasm/slice.ts';
import { sumConfig } from './wasm/sum.ts';
import { transposeConfig } from './wasm/transpose.ts';
import { unsortedSegmentSumConfig } from './wasm/unsorted-segment-sum.ts';

export const FAST_KERNELS: tf.KernelConfig[] = [batchMatMulConfig, unsortedSegmentSumConfig, identityConfig, gatherV2Config, sliceConfig, transposeConfig, sumConfig];

let registered = false;

export function registerFastKernels(): void {
  if (registered) return;
  const backend = tf.findBackend('wasm');
  if (!backend) throw new Error('registerFastKernels: the wasm backend is not initialised');
  for (const config of FAST_KERNELS) {
    const previous = tf.getKernel(config.kernelName, 'wasm');
    if (previous) {
      originalKernels.set(config.kernelName, previous.kernelFunc);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
    config.setupFunc?.(backend);
  }
  registered = true;
}

export function unregisterFastKernels(): void {
  if (!registered) return;
  for (const config of FAST_KERNELS) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    const previous = originalKernels.get(config.kernelName);
    if (previous) tf.registerKernel({ kernelName: config.kernelName, backendName: 'wasm', kernelFunc: previous });
  }
  originalKernels.clear();
  registered = false;
}

export function fastKernelsRegistered(): boolean {
  return registered;
}
