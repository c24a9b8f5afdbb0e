/** The tfjs kernels TuneKit's wasm kernels replaced. */
import type * as tf from '@tensorflow/tfjs-core';

/** tfjs's own kernel functions that a TuneKit kernel replaced (for shapes the fast one does not handle). */
export const originalKernels = new Map<string, tf.KernelFunc>();

export function originalKernel(name: string): tf.KernelFunc {
  const kernel = originalKernels.get(name);
  if (!kernel) throw new Error(`no original wasm kernel ${name} to fall back to`);
  return kernel;
}
