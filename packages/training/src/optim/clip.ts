/** Global-norm gradient clipping (torch.nn.utils.clip_grad_norm_ semantics) that also reports the pre-clip norm. */
import * as tf from '@tensorflow/tfjs-core';
import { globalNorm } from '@tunekit/compute';

/** Scales `grads` in place of the map when the norm exceeds `maxNorm` (> 0); returns the norm before clipping. */
export function clipGradients(grads: Map<string, tf.Tensor>, maxNorm: number): number {
  const normTensor = globalNorm(Object.fromEntries(grads));
  const norm = normTensor.dataSync()[0]!;
  normTensor.dispose();
  if (maxNorm > 0 && norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (const [name, g] of grads) {
      grads.set(name, tf.mul(g, scale));
      g.dispose();
    }
  }
  return norm;
}
