/**
 * PEFT's on-disk format for a LoRA adapter, so `PeftModel.from_pretrained(base, dir)` loads what
 * TuneKit trains. Key mapping (PEFT `get_peft_model_state_dict` drops the adapter name `default`
 * and the `modules_to_save.` infix):
 *   <module>.lora_A.weight          → base_model.model.<module>.lora_A.weight
 *   <module>.lora_B.weight          → base_model.model.<module>.lora_B.weight
 *   <saved module param> (head)     → base_model.model.<param>            e.g. base_model.model.classifier.weight,
 *                                      base_model.model.bert.pooler.dense.weight (a new pooler, modules_to_save "pooler")
 *   trained bias (bias: all|lora_only) → base_model.model.<param>
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { headUsesPooler, type BertModel, type TaskHead } from '@tunekit/model-loader';
import { saveTensors } from '../tensor-io.ts';
import type { ExportInfo } from '../types.ts';
import type { LoraConfig } from './config.ts';
import { isBodyModule, isInSavedModule, matchesModuleName } from './targets.ts';

export const PEFT_CONFIG_FILE = 'adapter_config.json';
export const PEFT_WEIGHTS_FILE = 'adapter_model.safetensors';
export const PEFT_PREFIX = 'base_model.model.';

/** PEFT TaskType for our heads. */
export function peftTaskType(head: TaskHead): string | null {
  switch (head) {
    case 'token-classification':
      return 'TOKEN_CLS';
    case 'sequence-classification':
      return 'SEQ_CLS';
    case 'none':
      return 'FEATURE_EXTRACTION';
    default:
      return null;
  }
}

interface LoraView {
  config: LoraConfig;
  layers: Array<{ module: string }>;
  modulesToSave: string[];
}

/**
 * The linear modules of the transformers model PEFT would wrap for this head: the body, the pooler
 * where the HF class has one (BertModel, BertForSequenceClassification), and the head's linears.
 */
export function peftLinearModules(model: BertModel): string[] {
  const body = model.linearModules().filter(isBodyModule);
  const pooler = headUsesPooler(model.head) ? ['bert.pooler.dense'] : [];
  const head = model.head === 'masked-lm' ? ['cls.predictions.transform.dense', 'cls.predictions.decoder'] : model.head === 'none' ? [] : ['classifier'];
  return [...body, ...pooler, ...head];
}

/** The modules PEFT selects with `target_modules` (a regex: `re.fullmatch`; names: equal or `.`-suffix). */
export function peftSelect(targets: string[] | string, modules: string[]): string[] {
  if (typeof targets === 'string') {
    const pattern = new RegExp(`^(?:${targets})$`);
    return modules.filter((m) => pattern.test(m));
  }
  return modules.filter((m) => targets.some((t) => matchesModuleName(m, t)));
}

/**
 * `target_modules` as PEFT records it, such that PEFT selects exactly the adapted modules in the
 * transformers model: the user's regex, or the adapted modules' last names (e.g. [query, value]),
 * when that holds; otherwise (a `dense` or `.*dense` that would also reach the pooler or a head)
 * the full module paths, which PEFT matches one by one.
 */
export function peftTargetModules(lora: LoraView, hfModules: string[]): string[] | string {
  const adapted = lora.layers.map((l) => l.module).sort();
  const sameAsAdapted = (form: string[] | string) => peftSelect(form, hfModules).sort().join('\n') === adapted.join('\n');
  if (typeof lora.config.target_modules === 'string' && lora.config.target_modules !== 'all-linear' && sameAsAdapted(lora.config.target_modules)) {
    return lora.config.target_modules;
  }
  const suffixes = [...new Set(adapted.map((m) => m.slice(m.lastIndexOf('.') + 1)))].sort();
  return sameAsAdapted(suffixes) ? suffixes : adapted;
}

export function peftAdapterConfig(model: BertModel, lora: LoraView, info: ExportInfo): Record<string, unknown> {
  const head = model.head;
  return {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: info.baseModelNameOrPath,
    bias: lora.config.bias,
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: lora.config.alpha,
    lora_dropout: lora.config.dropout,
    modules_to_save: lora.modulesToSave.length > 0 ? lora.modulesToSave : null,
    peft_type: 'LORA',
    r: lora.config.r,
    rank_pattern: {},
    revision: null,
    target_modules: peftTargetModules(lora, peftLinearModules(model)),
    task_type: peftTaskType(head),
    use_dora: false,
    use_rslora: lora.config.use_rslora,
  };
}

/** PEFT key → tensor, in PEFT naming. */
export function peftStateDict(model: BertModel, lora: LoraView): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const layer of lora.layers) {
    for (const part of ['lora_A', 'lora_B']) {
      const name = `${layer.module}.${part}.weight`;
      out.set(PEFT_PREFIX + name, model.params.get(name)!);
    }
  }
  const adapted = new Set(lora.layers.map((l) => l.module));
  for (const [name, variable] of model.params) {
    if (name.includes('.lora_')) continue;
    const savedModule = isInSavedModule(name, lora.modulesToSave);
    const savedBias =
      name.endsWith('.bias') && (lora.config.bias === 'all' || (lora.config.bias === 'lora_only' && adapted.has(name.slice(0, -'.bias'.length))));
    if (savedModule || savedBias) out.set(PEFT_PREFIX + name, variable);
  }
  return out;
}

export async function writePeftAdapter(dir: string, model: BertModel, lora: LoraView, info: ExportInfo): Promise<void> {
  await writeFile(join(dir, PEFT_CONFIG_FILE), JSON.stringify(peftAdapterConfig(model, lora, info), null, 2) + '\n');
  await saveTensors(join(dir, PEFT_WEIGHTS_FILE), peftStateDict(model, lora), { format: 'pt' });
}
