/**
 * `geluNative(x)`: GELU (exact erf form) as one native kernel forward and one backward on wasm
 * (tf.customGrad), instead of five tfjs kernels forward and ~10 in autograd's backward. Only
 * registered and used where `@tunekit/native` is active (a JavaScript version was slower than wasm's
 * own Erf/Exp kernels: see the README).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeKernels } from '@tunekit/native';
import type { WasmBackendLike } from '../wasm/heap.ts';
import { activeNativeKernels } from './select.ts';
import { heapF32, heapIndex } from './heap.ts';

export const GELU_KERNEL = 'TunekitGelu';
export const GELU_GRAD_KERNEL = 'TunekitGeluGrad';

/**
 * A wasm kernel over same-shape float32 inputs with one output of that shape: `run` gets the heap,
 * the inputs' and the output's heap indices and the element count.
 */
function elementwiseKernel(kernelName: string, inputNames: string[], run: (kernels: NativeKernels, heap: Float32Array, at: number[], count: number) => void): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend }) => {
    const b = backend as unknown as WasmBackendLike;
    const ins = inputNames.map((name) => {
      const info = inputs[name];
      if (!info || info.dtype !== 'float32') throw new Error(`${kernelName}: input ${name} must be a float32 tensor`);
      return info;
    });
    const shape = ins[0].shape;
    if (ins.some((i) => i.shape.join() !== shape.join())) throw new Error(`${kernelName}: inputs of different shapes (${ins.map((i) => `[${i.shape}]`).join(', ')})`);
    const kernels = activeNativeKernels();
    if (!kernels) throw new Error(`${kernelName} needs @tunekit/native (TUNEKIT_NATIVE is 0 or the addon is missing)`);
    const out = b.makeOutput(shape, 'float32');
    run(kernels, heapF32(b), [...ins, out].map((info) => heapIndex(b, info)), shape.reduce((p, c) => p * c, 1));
    return out;
  };
  return { kernelName, backendName: 'wasm', kernelFunc };
}

export const geluConfig = elementwiseKernel(GELU_KERNEL, ['x'], (k, heap, [x, y], count) => k.gelu(heap, x, y, count));
export const geluGradConfig = elementwiseKernel(GELU_GRAD_KERNEL, ['dy', 'x'], (k, heap, [dy, x, dx], count) => k.geluGrad(heap, dy, x, dx, count));

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
