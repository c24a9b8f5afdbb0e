/**
 * One bottleneck adapter: h + up(act(down(h))). Inserted as a sublayer hook, i.e. on the sublayer
 * output after its dense + dropout and before the residual LayerNorm (Houlsby's placement).
 */
import * as tf from '@tensorflow/tfjs-core';
import { activation, linear } from '@tunekit/compute';
import type { SublayerHook } from '@tunekit/model-loader';
import type { AdapterConfig } from './config.ts';

export interface AdapterWeights {
  downWeight: tf.Variable; // [bottleneck, hidden]
  downBias: tf.Variable; // [bottleneck]
  upWeight: tf.Variable; // [hidden, bottleneck]
  upBias: tf.Variable; // [hidden]
}

/** The adapter's parameter names under its module, e.g. `bert.encoder.layer.0.output.adapter.down.weight`. */
export function adapterParamNames(module: string): Record<keyof AdapterWeights, string> {
  return {
    downWeight: `${module}.adapter.down.weight`,
    downBias: `${module}.adapter.down.bias`,
    upWeight: `${module}.adapter.up.weight`,
    upBias: `${module}.adapter.up.bias`,
  };
}

export function adapterForward(hidden: tf.Tensor, weights: AdapterWeights, kind: AdapterConfig['activation']): tf.Tensor {
  return tf.tidy(() => {
    const down = linear(hidden, weights.downWeight as tf.Tensor2D, weights.downBias as tf.Tensor1D);
    const up = linear(activation(down, kind), weights.upWeight as tf.Tensor2D, weights.upBias as tf.Tensor1D);
    return tf.add(hidden, up);
  });
}

export function adapterHook(weights: AdapterWeights, kind: AdapterConfig['activation']): SublayerHook {
  return (hidden) => adapterForward(hidden, weights, kind);
}
