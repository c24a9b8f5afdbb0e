/** Named tensors ↔ safetensors files (through model-loader's validated reader/writer). */
import * as tf from '@tensorflow/tfjs-core';
import { readSafetensors, toFloat32, writeSafetensors } from '@tunekit/model-loader';

/** Write float32 tensors under the given names (atomic; byte-identical for identical values). */
export async function saveTensors(path: string, tensors: Map<string, tf.Tensor> | Array<[string, tf.Tensor]>, metadata?: Record<string, string>): Promise<void> {
  const entries = [...tensors];
  await writeSafetensors(
    path,
    entries.map(([name, tensor]) => ({ name, dtype: 'F32' as const, shape: tensor.shape.slice(), data: tensor.dataSync() as Float32Array })),
    metadata,
  );
}

export interface LoadedTensor {
  shape: number[];
  values: Float32Array;
}

export async function loadTensors(path: string): Promise<Map<string, LoadedTensor>> {
  const contents = await readSafetensors(path);
  return new Map(contents.tensors.map((t) => [t.name, { shape: t.shape, values: toFloat32(t) }]));
}

/** Assign loaded values to existing variables by name; every name must exist with the same shape. */
export function assignTensors(params: Map<string, tf.Variable>, loaded: Map<string, LoadedTensor>, label: string): void {
  for (const [name, { shape, values }] of loaded) {
    const variable = params.get(name);
    if (!variable) throw new Error(`${label}: tensor "${name}" has no matching parameter in the model`);
    if (variable.shape.join(',') !== shape.join(',')) {
      throw new Error(`${label}: tensor "${name}" has shape [${shape}] but the parameter is [${variable.shape}]`);
    }
    const next = tf.tensor(values, shape, 'float32');
    variable.assign(next);
    next.dispose();
  }
}
