/** The dropout mask drawn by native code straight into a wasm tensor (bit-identical to ops/dropout.ts's). */
import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../wasm/heap.ts';
import { activeNativeKernels } from './select.ts';
import { heapF32, heapIndex } from './heap.ts';

export const DROPOUT_MASK_KERNEL = 'TunekitDropoutMask';

export const dropoutMaskConfig: tf.KernelConfig = {
  kernelName: DROPOUT_MASK_KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ attrs, backend }) => {
    const { shape, rate, seed } = attrs as unknown as { shape: number[]; rate: number; seed: number };
    const kernels = activeNativeKernels();
    if (!kernels) throw new Error(`${DROPOUT_MASK_KERNEL} needs @tunekit/native`);
    const b = backend as unknown as WasmBackendLike;
    const out = b.makeOutput(shape, 'float32');
    kernels.dropoutMask(heapF32(b), heapIndex(b, out), shape.reduce((p, c) => p * c, 1), rate, seed >>> 0);
    return out;
  },
};

/** The mask as a wasm tensor, or undefined when native kernels are not active on the wasm backend. */
export function nativeDropoutMask(shape: number[], rate: number, seed: number): tf.Tensor | undefined {
  if (tf.getBackend() !== 'wasm' || !activeNativeKernels() || !tf.getKernel(DROPOUT_MASK_KERNEL, 'wasm')) return undefined;
  return tf.engine().runKernel(DROPOUT_MASK_KERNEL, {}, { shape, rate, seed } as never) as tf.Tensor;
}
