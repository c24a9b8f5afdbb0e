/**
 * Bottleneck adapters have no Hugging Face / PEFT format (PEFT has no Houlsby/Pfeiffer tuner;
 * AdapterHub's `adapters` library writes torch pickles with its own module names). TuneKit's own
 * record stays `tunekit_strategy.json` + `tunekit_strategy.safetensors` (re-applied by TuneKit, and
 * by the documented Python snippet in the README). So that a plain `from_pretrained` on the folder
 * does not silently give the model without its adapters, the adapter tensors are ALSO written into
 * model.safetensors under their HF-style names (`bert.encoder.layer.N.output.adapter.down.weight`):
 * transformers then warns "Some weights of the model checkpoint at … were not used when
 * initializing …" and lists every adapter tensor. TuneKit's loader skips them (they are listed in
 * tunekit_strategy.json `added_params`).
 */
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { readSafetensors, WEIGHTS_FILE, writeSafetensors, type TensorToWrite } from '@tunekit/model-loader';

export async function addTensorsToWeights(dir: string, tensors: Array<[string, tf.Tensor]>): Promise<void> {
  const path = join(dir, WEIGHTS_FILE);
  const file = await readSafetensors(path);
  const names = new Set(tensors.map(([name]) => name));
  const kept: TensorToWrite[] = file.tensors.filter((t) => !names.has(t.name)).map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, data: t.bytes }));
  const added: TensorToWrite[] = tensors.map(([name, tensor]) => ({ name, dtype: 'F32', shape: tensor.shape.slice(), data: tensor.dataSync() as Float32Array }));
  await writeSafetensors(path, [...kept, ...added], file.metadata);
}
