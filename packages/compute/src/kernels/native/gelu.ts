/**
 * `geluNative(x)`: GELU (exact erf form) as one native kernel forward and one backward on wasm
 * (tf.customGrad), instead of five tfjs kernels forward and ~10 in autograd's backward. Only
 * registered and used where `@tunekit/native` is active (a JavaScript version was slower than wasm's
 * own Erf/Exp kernels: see the README).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../wasm/heap.ts';
import { activeNativeKernels } from './select.ts';
import { heapF32, heapIndex } from './heap.ts';

export const GELU_KERNEL = 'TunekitGelu';
export const GELU_GRAD_KERNEL = 'TunekitGeluGrad';

const float32 = (info: tf.TensorInfo | undefined, name: string): tf.TensorInfo => {
  if (!info || info.dtype !== 'float32') throw new Error(`${name}: expected a float32 tensor, got ${info?.dtype ?? 'nothing'}`);
  return info;
};

function native() {
  const kernels = activeNativeKernels();
  if (!kernels) throw new Error('the native GELU kernels need @tunekit/native (TUNEKIT_NATIVE is 0 or the addon is missing)');
  return kernels;
}

export const geluConfig: tf.KernelConfig = {
  kernelName: GELU_KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as unknown as WasmBackendLike;
    const x = float32(inputs.x, GELU_KERNEL);
    const out = b.makeOutput(x.shape, 'float32');
    const size = x.shape.reduce((p, c) => p * c, 1);
    native().gelu(heapF32(b), heapIndex(b, x), heapIndex(b, out), size);
    return out;
  },
};

export const geluGradConfig: tf.KernelConfig = {
  kernelName: GELU_GRAD_KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as unknown as WasmBackendLike;
    const [dy, x] = [float32(inputs.dy, GELU_GRAD_KERNEL), float32(inputs.x, GELU_GRAD_KERNEL)];
    if (dy.shape.join() !== x.shape.join()) throw new Error(`${GELU_GRAD_KERNEL}: dy ${dy.shape} and x ${x.shape} differ`);
    const out = b.makeOutput(x.shape, 'float32');
    native().geluGrad(heapF32(b), heapIndex(b, dy), heapIndex(b, x), heapIndex(b, out), x.shape.reduce((p, c) => p * c, 1));
    return out;
  },
};

/** True when `geluNative` can run here: the wasm backend with native kernels active. */
export function hasNativeGelu(): boolean {
  return tf.getBackend() === 'wasm' && activeNativeKernels() !== undefined && tf.getKernel(GELU_KERNEL, 'wasm') != null;
}

export function geluNative(x: tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    return {
      value: tf.engine().runKernel(GELU_KERNEL, { x: input }) as tf.Tensor,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], [saved]: tf.Tensor[]) => tf.engine().runKernel(GELU_GRAD_KERNEL, { dy: dy as tf.Tensor, x: saved }) as tf.Tensor,
    };
  });
  return op(tf.cast(x, 'float32')) as tf.Tensor;
}
