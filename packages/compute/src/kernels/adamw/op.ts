/** `adamwFused(p, g, m, v, attrs)`: the whole AdamW update of one tensor as one kernel → [p, m, v]. */
import * as tf from '@tensorflow/tfjs-core';
import { registerJsKernelInto } from '../js-kernel.ts';
import { adamwUpdateInto, type AdamWAttrs } from './math.ts';

export const ADAMW_KERNEL = 'TunekitAdamW';

export function registerAdamWKernel(): void {
  registerJsKernelInto(ADAMW_KERNEL, ['p', 'g', 'm', 'v'], ([shape]) => [shape!, shape!, shape!], ([p, g, m, v], [p2, m2, v2], shapes, attrs) => {
    for (const s of shapes.slice(1)) if (s.join() !== shapes[0]!.join()) throw new Error(`${ADAMW_KERNEL}: shapes differ (${shapes.map((x) => `[${x}]`).join(' ')})`);
    adamwUpdateInto(p!, g!, m!, v!, p2!, m2!, v2!, attrs as unknown as AdamWAttrs);
  });
}

export function hasFastAdamW(): boolean {
  return tf.getKernel(ADAMW_KERNEL, tf.getBackend()) != null;
}

export function adamwFused(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, attrs: AdamWAttrs): tf.Tensor[] {
  return tf.engine().runKernel(ADAMW_KERNEL, { p, g: tf.cast(g, 'float32'), m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
}

registerAdamWKernel();
