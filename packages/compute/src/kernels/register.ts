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
import { dropoutMaskConfig } from './native/dropout-mask.ts';
import { geluConfig, geluGradConfig } from './native/gelu.ts';
import { activeNativeKernels } from './native/select.ts';

/** Kernels tfjs-backend-wasm 4.22 lacks altogether (training cannot run without them). */
export const MISSING_KERNELS: tf.KernelConfig[] = [unsortedSegmentSumConfig];
/** Replacements for slow tfjs-backend-wasm kernels. */
export const FAST_KERNELS: tf.KernelConfig[] = [batchMatMulConfig, identityConfig, gatherV2Config, sliceConfig, transposeConfig, sumConfig];
/** TuneKit-only kernels backed by `@tunekit/native` (used only while its kernels are active). */
export const NATIVE_KERNELS: tf.KernelConfig[] = [geluConfig, geluGradConfig, dropoutMaskConfig];

let missingRegistered = false;

/** Registers only the kernels wasm lacks (the 'plain tfjs' baseline of the benchmark). */
export function registerMissingKernels(): void {
  if (missingRegistered) return;
  for (const config of MISSING_KERNELS) if (!tf.getKernel(config.kernelName, 'wasm')) tf.registerKernel(config);
  missingRegistered = true;
}

let registered = false;

export function registerFastKernels(): void {
  registerMissingKernels();
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
  activeNativeKernels(); // a bad TUNEKIT_NATIVE fails at backend selection, not inside a kernel
  for (const config of NATIVE_KERNELS) if (!tf.getKernel(config.kernelName, 'wasm')) tf.registerKernel(config);
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
  for (const config of NATIVE_KERNELS) tf.unregisterKernel(config.kernelName, 'wasm');
  registered = false;
}

export function fastKernelsRegistered(): boolean {
  return registered;
}
