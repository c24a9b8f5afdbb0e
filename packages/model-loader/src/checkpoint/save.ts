import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BertModel } from '../types.ts';
import { writeBertConfig } from '../config/read-write.ts';
import { writeSafetensors, type TensorToWrite } from '../safetensors/index.ts';
import { ARCHITECTURE_OF_HEAD } from '../bert/heads.ts';
import { TfBertModel } from '../bert/model.ts';
import { WEIGHTS_FILE } from './load.ts';
import { copyTokenizerFiles } from './tokenizer-files.ts';

export interface SaveOptions {
  /** Folder whose tokenizer files (vocab.txt, tokenizer.json, ...) are copied; default: the folder the model was loaded from. */
  tokenizerFrom?: string;
}

export interface SavedFiles {
  files: string[];
}

/**
 * Write `model` in Hugging Face layout: config.json (sorted keys, `architectures` from the head),
 * model.safetensors (the model's own parameters, F32, `{"format":"pt"}` metadata) and the tokenizer
 * files. Parameters a strategy added to `params` (LoRA, adapters) are not written here.
 * Deterministic: save → load → save gives identical bytes.
 */
export async function saveModel(model: BertModel, dir: string, options: SaveOptions = {}): Promise<SavedFiles> {
  await mkdir(dir, { recursive: true });
  const names = model instanceof TfBertModel ? model.baseParameters.map((s) => s.name) : [...model.params.keys()];
  const tensors: TensorToWrite[] = names.map((name) => {
    const variable = model.params.get(name);
    if (!variable) throw new Error(`saveModel: parameter ${name} is missing (disposed model?)`);
    return { name, dtype: 'F32', shape: variable.shape, data: variable.dataSync() as Float32Array };
  });
  await writeSafetensors(join(dir, WEIGHTS_FILE), tensors, { format: 'pt' });
  await writeBertConfig(dir, { ...model.config, architectures: [ARCHITECTURE_OF_HEAD[model.head]] });
  const source = options.tokenizerFrom ?? (model as { sourceDir?: string }).sourceDir;
  const tokenizer = source ? await copyTokenizerFiles(source, dir) : [];
  return { files: ['config.json', WEIGHTS_FILE, ...tokenizer].sort() };
}
