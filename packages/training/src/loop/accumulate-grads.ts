/** Adds one micro-batch's gradients (keyed by tf variable name) into the running sums (keyed by parameter name). */
import * as tf from '@tensorflow/tfjs-core';

export function accumulateGrads(sums: Map<string, tf.Tensor>, micro: tf.NamedTensorMap, paramName: ReadonlyMap<string, string>): void {
  for (const [variableName, grad] of Object.entries(micro)) {
    if (!grad) continue;
    const name = paramName.get(variableName)!;
    const previous = sums.get(name);
    if (previous) {
      sums.set(name, tf.add(previous, grad));
      tf.dispose([previous, grad]);
    } else sums.set(name, grad);
  }
}
