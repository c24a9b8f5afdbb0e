import * as tf from '@tensorflow/tfjs-core';
import { access, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TaskHead } from '../types.ts';
import { configLabels, withLabels } from '../config/bert-config.ts';
import { readBertConfig } from '../config/read-write.ts';
import { readSafetensors, isFloatTensor, toFloat32, type RawTensor } from '../safetensors/index.ts';
import { ARCHITECTURE_OF_HEAD, headFromArchitectures, isClassificationHead, TASK_HEADS } from '../bert/heads.ts';
import { initialValue } from '../bert/init.ts';
import { TfBertModel } from '../bert/model.ts';
import { parameterLayout } from '../bert/parameter-layout.ts';
import { normaliseNames } from './normalise-names.ts';

export const WEIGHTS_FILE = 'model.safetensors';

export interface LoadOptions {
  /** Head to build; default: from `config.architectures[0]` (BertModel → none). */
  head?: TaskHead;
  /** Label names for a classification head. Different from the checkpoint's → a new classifier. */
  labels?: string[];
  /** Fail on missing or unexpected tensors (default true), like `load_state_dict(strict=True)`. */
  strict?: boolean;
  /** Seed for newly initialised parameters (default 0). */
  seed?: number;
}

/** What loading did, by HF name (after name normalisation). */
export interface LoadReport {
  head: TaskHead;
  /** Parameters absent from the checkpoint (an error when strict). */
  missing: string[];
  /** Checkpoint tensors the model has no place for (an error when strict). */
  unexpected: string[];
  /** Head parameters created fresh (new head or new labels), HF `_init_weights`. */
  newlyInitialized: string[];
  /** Checkpoint tensors deliberately not loaded: another head's weights (`cls.*` for classification, an old classifier). */
  dropped: string[];
  /** Non-parameter tensors: integer buffers (`position_ids`) and the tied MLM decoder. */
  skipped: string[];
  /** Renames made by name normalisation: [checkpoint name, HF name]. */
  renamed: Array<[string, string]>;
}

export interface LoadedBertModel extends TfBertModel {
  readonly sourceDir: string;
  readonly loadReport: LoadReport;
}

/** Load a Hugging Face BERT folder (config.json + model.safetensors). Only safetensors weights are supported. */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<LoadedBertModel> {
  const strict = options.strict ?? true;
  const config = await readBertConfig(dir);
  const weightsPath = join(dir, WEIGHTS_FILE);
  if (!(await access(weightsPath).then(() => true, () => false))) throw new Error(await missingWeightsMessage(dir));
  const file = await readSafetensors(weightsPath);

  const head = options.head ?? headFromArchitectures(config.architectures);
  if (!TASK_HEADS.includes(head)) throw new Error(`loadModel: unknown head "${head}" (expected one of ${TASK_HEADS.join(', ')})`);
  const checkpointHead = headFromArchitectures(config.architectures);
  const { mapping, renamed } = normaliseNames(file.tensors.map((t) => t.name));
  const tensors = new Map<string, RawTensor>(file.tensors.map((t) => [mapping.get(t.name)!, t]));

  const report: LoadReport = { head, missing: [], unexpected: [], newlyInitialized: [], dropped: [], skipped: [], renamed };
  const labelsChanged = options.labels !== undefined && !sameLabels(options.labels, configLabels(config));
  const modelConfig = { ...(options.labels ? withLabels(config, options.labels) : config), architectures: [ARCHITECTURE_OF_HEAD[head]] };
  const newHead = head !== checkpointHead || labelsChanged;
  const specs = parameterLayout(modelConfig, head, { pooler: tensors.has('bert.pooler.dense.weight') });
  const expected = new Set(specs.map((s) => s.name));

  for (const [name, tensor] of tensors) {
    if (expected.has(name) && !(labelsChanged && name.startsWith('classifier.'))) continue;
    if (!isFloatTensor(tensor) && /(^|\.)(position_ids|token_type_ids)$/.test(name)) report.skipped.push(name);
    else if (name === 'cls.predictions.decoder.weight' || name === 'cls.predictions.decoder.bias') report.skipped.push(name);
    else if (name.startsWith('cls.') && (head !== 'masked-lm' || name.startsWith('cls.seq_relationship.'))) report.dropped.push(name);
    else if (name.startsWith('classifier.') && isClassificationHead(head)) report.dropped.push(name);
    else report.unexpected.push(name);
  }

  const values = new Map<string, tf.Tensor>();
  try {
    for (const spec of specs) {
      const tensor = report.dropped.includes(spec.name) ? undefined : tensors.get(spec.name);
      if (!tensor) {
        // A new sequence-classification head on a checkpoint saved without a pooler (BertForMaskedLM,
        // BertForTokenClassification): the pooler is new too, as in transformers' from_pretrained.
        const isHeadParameter = spec.name.startsWith('classifier.') || spec.name.startsWith('cls.') || spec.name.startsWith('bert.pooler.');
        if (isHeadParameter && newHead) report.newlyInitialized.push(spec.name);
        else report.missing.push(spec.name);
        values.set(spec.name, initialValue(spec, modelConfig, options.seed ?? 0));
        continue;
      }
      if (!isFloatTensor(tensor)) throw new Error(`${weightsPath}: parameter "${spec.name}" is stored as ${tensor.dtype}; expected F32, F16, BF16 or F64`);
      if (!tf.util.arraysEqual(tensor.shape, spec.shape)) {
        throw new Error(`${weightsPath}: parameter "${spec.name}" has shape [${tensor.shape}] but the config expects [${spec.shape}]`);
      }
      values.set(spec.name, tf.tensor(toFloat32(tensor), spec.shape, 'float32'));
    }
    if (strict && (report.missing.length > 0 || report.unexpected.length > 0)) {
      const parts = [];
      if (report.missing.length) parts.push(`missing: ${report.missing.join(', ')}`);
      if (report.unexpected.length) parts.push(`unexpected: ${report.unexpected.join(', ')}`);
      throw new Error(`${weightsPath}: checkpoint does not match a ${ARCHITECTURE_OF_HEAD[head]} (strict loading): ${parts.join('; ')}`);
    }
    const model = new TfBertModel(modelConfig, head, specs, values) as TfBertModel & { sourceDir: string; loadReport: LoadReport };
    model.sourceDir = resolve(dir);
    model.loadReport = report;
    return model;
  } finally {
    tf.dispose([...values.values()]);
  }
}

function sameLabels(a: string[], b: string[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((label, i) => label === b[i]);
}

async function missingWeightsMessage(dir: string): Promise<string> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const others = files.filter((f) => /^(pytorch_model.*\.bin|tf_model\.h5|flax_model\.msgpack|model\.safetensors\.index\.json|model-\d+-of-\d+\.safetensors)$/.test(f));
  const found = others.length ? ` It has ${others.join(', ')}:` : '';
  return `${join(dir, WEIGHTS_FILE)}: not found.${found} only a single model.safetensors file is supported (no pytorch_model.bin, TF/Flax weights or sharded checkpoints; convert with transformers: model.save_pretrained(dir, safe_serialization=True)).`;
}
