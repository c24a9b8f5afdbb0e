/** `geluFast(x)`: GELU (erf form) as one kernel forward and one backward (tf.customGrad). */
import * as tf from '@tensorflow/tfjs-core';
import { GELU_GRAD_KERNEL, GELU_KERNEL, geluKernels } from './kernels.ts';

let registered = false;

/** Registers the GELU kernels for wasm and cpu (no-op when already registered). */
export function registerGeluKernels(): void {
  if (registered) return;
  for (const config of geluKernels) if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  registered = true;
}

/** True when the active backend has the fused GELU kernels. */
export function hasFastGelu(): boolean {
  return tf.getKernel(GELU_KERNEL, tf.getBackend()) != null;
}

const geluOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: tf.engine().runKernel(GELU_KERNEL, { x }) as tf.Tensor,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.engine().runKernel(GELU_GRAD_KERNEL, { dy: dy as tf.Tensor, x: saved[0] }) as tf.Tensor,
  };
});

export function geluFast(x: tf.Tensor): tf.Tensor {
  return geluOp(tf.cast(x, 'float32')) as tf.Tensor;
}

registerGeluKernels();
