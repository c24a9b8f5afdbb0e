/** `layerNormFast(x, γ, β, eps)`: LayerNorm as one kernel forward and one backward (tf.customGrad). */
import * as tf from '@tensorflow/tfjs-core';
import { registerJsKernel } from '../js-kernel.ts';
import { layerNormBackward, layerNormForward } from './math.ts';
import { nativeLayerNormBackward, nativeLayerNormForward } from '../native/layer-norm.ts';

export const LAYER_NORM_KERNEL = 'TunekitLayerNorm';
export const LAYER_NORM_GRAD_KERNEL = 'TunekitLayerNormGrad';

export function registerLayerNormKernels(): void {
  // On wasm with @tunekit/native active the same computation runs as native code (bit-identical).
  registerJsKernel(LAYER_NORM_KERNEL, ['x', 'gamma', 'beta'], ([x, gamma, beta], shapes, attrs) => layerNormForward(x, gamma, beta, shapes[1][0], attrs.eps as number), (backend, inputs, attrs) =>
    nativeLayerNormForward(backend, inputs, attrs.eps as number),
  );
  registerJsKernel(LAYER_NORM_GRAD_KERNEL, ['dy', 'x', 'gamma', 'mean', 'rstd'], ([dy, x, gamma, mean, rstd], shapes) => layerNormBackward(dy, x, gamma, mean, rstd, shapes[2][0]), nativeLayerNormBackward);
}

export function hasFastLayerNorm(): boolean {
  return tf.getKernel(LAYER_NORM_KERNEL, tf.getBackend()) != null;
}

export function layerNormFast(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, mean, rstd] = tf.engine().runKernel(LAYER_NORM_KERNEL, { x: input, gamma: g, beta: b }, { eps }) as tf.Tensor[];
    save([input, g, mean, rstd]);
    return {
      value: tf.reshape(y, input.shape),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, gs, ms, rs] = saved;
        const [dx, dGamma, dBeta] = tf.engine().runKernel(LAYER_NORM_GRAD_KERNEL, { dy: dy as tf.Tensor, x: xs, gamma: gs, mean: ms, rstd: rs }) as tf.Tensor[];
        return [tf.reshape(dx, xs.shape), dGamma, dBeta];
      },
    };
  });
  return op(tf.cast(x, 'float32'), gamma, beta) as tf.Tensor;
}

registerLayerNormKernels();
