/**
 * What `PeftModel.from_pretrained(AutoModelFor<Task>.from_pretrained(base), adapter_dir)` does with
 * an adapter folder, restated over the file formats so a test can check that an export carries
 * everything the Python side needs (PEFT cannot run here: no Python `transformers` / `peft`):
 *
 * 1. transformers builds the task model from the BASE folder; modules the base lacks (a new
 *    classifier, a new pooler) are initialised at random — here: loaded with another seed.
 * 2. PEFT wraps the modules selected by `target_modules` (regex: `re.fullmatch` on the module
 *    name; list: name equal to an entry or ending with "." + entry) with LoRA (A, B, scaling
 *    lora_alpha / r), and the modules named in `modules_to_save` with a trainable copy.
 * 3. `set_peft_model_state_dict` loads adapter_model.safetensors: keys are
 *    `base_model.model.<module>.lora_A.weight` / `lora_B.weight`, and `base_model.model.<param>`
 *    for parameters of a module in `modules_to_save` (PEFT re-inserts `modules_to_save.default.`);
 *    anything else is not loaded (strict=False).
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadModel, readSafetensors, toFloat32, type LoadedBertModel, type TaskHead } from '@tunekit/model-loader';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyStrategy, PEFT_CONFIG_FILE, PEFT_PREFIX, PEFT_WEIGHTS_FILE } from '../../src/index.ts';
import { peftLinearModules, peftSelect } from '../../src/lora/peft-format.ts';

export async function peftFromPretrained(baseDir: string, adapterDir: string, head: TaskHead, labels: string[]): Promise<LoadedBertModel> {
  const config = JSON.parse(await readFile(join(adapterDir, PEFT_CONFIG_FILE), 'utf8')) as {
    r: number;
    lora_alpha: number;
    target_modules: string[] | string;
    modules_to_save: string[] | null;
    bias: string;
  };
  // 1. The task model from the base, new modules drawn at random (another seed than TuneKit's).
  const model = await loadModel(baseDir, { head, labels, seed: 987_654 });
  // 2. LoRA on exactly the modules PEFT selects in the transformers model.
  const selected = peftSelect(config.target_modules, peftLinearModules(model));
  const { applied } = applyStrategy(model, 'lora', { r: config.r, alpha: config.lora_alpha, target_modules: selected, modules_to_save: [], bias: config.bias }, { seed: 1 });
  const adapted = new Set((applied as unknown as { layers: Array<{ module: string }> }).layers.map((l) => l.module));
  if (adapted.size !== selected.length) throw new Error(`PEFT would adapt ${selected.join(', ')}; the emulation adapted ${[...adapted].join(', ')}`);
  // 3. The adapter weights.
  const saved = config.modules_to_save ?? [];
  const file = await readSafetensors(join(adapterDir, PEFT_WEIGHTS_FILE));
  for (const tensor of file.tensors) {
    if (!tensor.name.startsWith(PEFT_PREFIX)) throw new Error(`${tensor.name}: not a PEFT key (expected the ${PEFT_PREFIX} prefix)`);
    const name = tensor.name.slice(PEFT_PREFIX.length);
    const lora = /^(.*)\.lora_[AB]\.weight$/.exec(name);
    const module = name.slice(0, name.lastIndexOf('.'));
    const inSavedModule = saved.some((m) => module === m || module.endsWith(`.${m}`) || module.startsWith(`${m}.`) || module.includes(`.${m}.`));
    if (lora ? !adapted.has(lora[1]!) : !inSavedModule) throw new Error(`${tensor.name}: PEFT would not load this key (no such LoRA module / not in modules_to_save ${JSON.stringify(saved)})`);
    const variable = model.params.get(name);
    if (!variable || !tf.util.arraysEqual(variable.shape, tensor.shape)) throw new Error(`${tensor.name}: shape [${tensor.shape}] does not fit the model`);
    const value = tf.tensor(toFloat32(tensor), tensor.shape, 'float32');
    variable.assign(value);
    value.dispose();
  }
  return model;
}
