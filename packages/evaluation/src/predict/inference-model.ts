/**
 * A model artifact loaded for inference: the BERT model (eval mode), its label names and the
 * strategy it was trained with (LoRA merged, adapters re-applied), and the temperature stored next to it by `evaluation/calibrate` (`tunekit_calibration.json`, 1 if absent).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BertModel } from '@tunekit/model-loader';

export const CALIBRATION_FILE = 'tunekit_calibration.json';

export interface InferenceModel {
  model: BertModel;
  dir: string;
  labels: string[];
  temperature: number;
  backend: string;
}

export async function readTemperature(dir: string): Promise<number> {
  const path = join(dir, CALIBRATION_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return 1;
  }
  const value = (JSON.parse(text) as { temperature?: unknown }).temperature;
  if (typeof value !== 'number' || !(value > 0)) throw new Error(`${path}: "temperature" must be a positive number`);
  return value;
}

export async function loadInferenceModel(dir: string, options: { useTemperature?: boolean } = {}): Promise<InferenceModel> {
  const loader = await import('@tunekit/model-loader');
  const backend = await loader.activateBackend();
  // A LoRA / adapter artifact stores the base weights in model.safetensors and the trained strategy
  // weights in tunekit_strategy.*: the strategy must be re-applied, or the base encoder is scored.
  const { loadModelWithStrategy } = await import('@tunekit/strategies');
  const { model } = await loadModelWithStrategy(dir, { merge: true });
  if (model.head !== 'token-classification' && model.head !== 'sequence-classification') {
    model.dispose();
    throw new Error(`${dir}: expected a token- or sequence-classification model, found head "${model.head}"`);
  }
  const labels = loader.configLabels(model.config);
  if (!labels) throw new Error(`${dir}/config.json: id2label is missing; cannot name the predicted labels`);
  return { model, dir, labels, temperature: options.useTemperature === false ? 1 : await readTemperature(dir), backend };
}
