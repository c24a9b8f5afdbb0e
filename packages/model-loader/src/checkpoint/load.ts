import * as tf from '@tensorflow/tfjs-core';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BertConfig, TaskHead } from '../types.ts';
import { ModelFileError } from '../files/model-file-error.ts';
import { readRegularFile } from '../files/read-regular-file.ts';
import { configLabels, withLabels } from '../config/bert-config.ts';
import { CONFIG_FILE, readBertConfig } from '../config/read-write.ts';
import { readSafetensors, isFloatTensor, toFloat32, type RawTensor, type SafetensorsContents } from '../safetensors/index.ts';
import { ARCHITECTURE_OF_HEAD, headFromArchitectures, isClassificationHead, TASK_HEADS } from '../bert/heads.ts';
import { initialValue } from '../bert/init.ts';
import { TfBertModel } from '../bert/model.ts';
import { parameterLayout, type ParameterSpec } from '../bert/parameter-layout.ts';
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
  /**
   * Checkpoint tensors that belong to a strategy, not to the BERT model (default: the
   * `added_params` of the folder's tunekit_strategy.json): reported as `skipped`, never loaded.
   */
  strategyOwned?: readonly string[];
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

/**
 * Load a Hugging Face BERT folder (config.json + model.safetensors). Only safetensors weights are
 * supported. Every problem with the folder's files (unreadable, malformed, not matching the
 * config) is a ModelFileError naming the file; nothing is allocated for the model before
 * `planLoad` has checked the checkpoint's names, dtypes and shapes against the config.
 */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<LoadedBertModel> {
  const config = await readBertConfig(dir);
  const file = await readWeights(dir);
  const plan = planLoad(dir, config, file, { ...options, strategyOwned: options.strategyOwned ?? (await strategyOwnedTensors(dir)) });
  const values = new Map<string, tf.Tensor>();
  try {
    for (const spec of plan.specs) {
      const tensor = plan.fromCheckpoint.get(spec.name);
      values.set(spec.name, tensor ? tf.tensor(toFloat32(tensor), spec.shape, 'float32') : initialValue(spec, plan.config, options.seed ?? 0));
    }
    const model = new TfBertModel(plan.config, plan.report.head, plan.specs, values) as TfBertModel & { sourceDir: string; loadReport: LoadReport };
    model.sourceDir = resolve(dir);
    model.loadReport = plan.report;
    return model;
  } finally {
    tf.dispose([...values.values()]);
  }
}

/** `<dir>/model.safetensors`, read and validated; a missing file names the formats that are not supported. */
export async function readWeights(dir: string): Promise<SafetensorsContents> {
  const weightsPath = join(dir, WEIGHTS_FILE);
  return readSafetensors(weightsPath).catch(async (error: unknown) => {
    if ((error as ModelFileError).detail?.endsWith('(not found)')) throw new ModelFileError(weightsPath, await missingWeightsMessage(dir));
    throw error;
  });
}

export interface LoadPlan {
  /** The model's config: the checkpoint's, with `labels` and the head's architecture applied. */
  config: BertConfig;
  specs: ParameterSpec[];
  /** Checkpoint tensors that become parameters (dtype and shape checked). */
  fromCheckpoint: Map<string, RawTensor>;
  report: LoadReport;
}

/**
 * Match a checkpoint against the parameter layout of the config and head, without allocating:
 * every rule of the loading table (README), every error a ModelFileError naming config.json or
 * model.safetensors. `loadModel` allocates from the plan; `inspectModel` only checks it.
 */
export function planLoad(dir: string, checkpointConfig: BertConfig, file: SafetensorsContents, options: LoadOptions = {}): LoadPlan {
  const strict = options.strict ?? true;
  const weightsPath = join(dir, WEIGHTS_FILE);
  const head = options.head ?? headFromArchitectures(checkpointConfig.architectures);
  if (!TASK_HEADS.includes(head)) throw new Error(`loadModel: unknown head "${head}" (expected one of ${TASK_HEADS.join(', ')})`);
  const checkpointHead = headFromArchitectures(checkpointConfig.architectures);
  let normalised: ReturnType<typeof normaliseNames>;
  try {
    normalised = normaliseNames(file.tensors.map((t) => t.name));
  } catch (error) {
    throw new ModelFileError(weightsPath, (error as Error).message);
  }
  const { mapping, renamed } = normalised;
  const tensors = new Map<string, RawTensor>(file.tensors.map((t) => [mapping.get(t.name)!, t]));
  const strategyOwned = new Set(options.strategyOwned ?? []);

  const report: LoadReport = { head, missing: [], unexpected: [], newlyInitialized: [], dropped: [], skipped: [], renamed };
  const labelsChanged = options.labels !== undefined && !sameLabels(options.labels, configLabels(checkpointConfig));
  const config = { ...(options.labels ? withLabels(checkpointConfig, options.labels) : checkpointConfig), architectures: [ARCHITECTURE_OF_HEAD[head]] };
  const newHead = head !== checkpointHead || labelsChanged;
  if (isClassificationHead(head) && !configLabels(config)?.length) {
    throw new ModelFileError(join(dir, CONFIG_FILE), `a ${ARCHITECTURE_OF_HEAD[head]} needs labels: config.json has no "id2label" (pass labels to load it with a new head)`);
  }
  const specs = parameterLayout(config, head, { pooler: tensors.has('bert.pooler.dense.weight') });
  const expected = new Set(specs.map((s) => s.name));

  for (const [name, tensor] of tensors) {
    if (expected.has(name) && !(labelsChanged && name.startsWith('classifier.'))) continue;
    if (strategyOwned.has(name)) report.skipped.push(name);
    else if (!isFloatTensor(tensor) && /(^|\.)(position_ids|token_type_ids)$/.test(name)) report.skipped.push(name);
    else if (name === 'cls.predictions.decoder.weight' || name === 'cls.predictions.decoder.bias') report.skipped.push(name);
    else if (name.startsWith('cls.') && (head !== 'masked-lm' || name.startsWith('cls.seq_relationship.'))) report.dropped.push(name);
    else if (name.startsWith('classifier.') && isClassificationHead(head)) report.dropped.push(name);
    else report.unexpected.push(name);
  }

  const fromCheckpoint = new Map<string, RawTensor>();
  for (const spec of specs) {
    const tensor = report.dropped.includes(spec.name) ? undefined : tensors.get(spec.name);
    if (!tensor) {
      // A new sequence-classification head on a checkpoint saved without a pooler (BertForMaskedLM,
      // BertForTokenClassification): the pooler is new too, as in transformers' from_pretrained.
      const isHeadParameter = spec.name.startsWith('classifier.') || spec.name.startsWith('cls.') || spec.name.startsWith('bert.pooler.');
      if (isHeadParameter && newHead) report.newlyInitialized.push(spec.name);
      else report.missing.push(spec.name);
      continue;
    }
    if (!isFloatTensor(tensor)) throw new ModelFileError(weightsPath, `parameter "${spec.name}" is stored as ${tensor.dtype}; expected F32, F16, BF16 or F64`);
    if (!tf.util.arraysEqual(tensor.shape, spec.shape)) {
      throw new ModelFileError(weightsPath, `parameter "${spec.name}" has shape [${tensor.shape}] but the config expects [${spec.shape}]`);
    }
    fromCheckpoint.set(spec.name, tensor);
  }
  if (strict && (report.missing.length > 0 || report.unexpected.length > 0)) {
    const parts = [];
    if (report.missing.length) parts.push(`missing: ${report.missing.join(', ')}`);
    if (report.unexpected.length) parts.push(`unexpected: ${report.unexpected.join(', ')}`);
    throw new ModelFileError(weightsPath, `checkpoint does not match a ${ARCHITECTURE_OF_HEAD[head]} (strict loading): ${parts.join('; ')}`);
  }
  return { config, specs, fromCheckpoint, report };
}

/** The file in which @tunekit/strategies records a model folder's strategy. */
export const STRATEGY_RECORD_FILE = 'tunekit_strategy.json';

/**
 * Names of the tensors a strategy added (`added_params` of `<dir>/tunekit_strategy.json`); [] when
 * the folder has none. A strategy may store them in model.safetensors too (bottleneck adapters do,
 * so that a plain transformers load warns about them instead of dropping them silently).
 */
export async function strategyOwnedTensors(dir: string): Promise<string[]> {
  const path = join(dir, STRATEGY_RECORD_FILE);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readRegularFile(path, 'strategy record', MAX_STRATEGY_FILE_BYTES));
  } catch (error) {
    if ((error as ModelFileError).detail?.endsWith('(not found)')) return [];
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(path, 'not valid UTF-8');
  }
  let added: unknown;
  try {
    added = (JSON.parse(text) as { added_params?: unknown }).added_params ?? [];
  } catch (error) {
    throw new ModelFileError(path, `not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(added) || !added.every((name) => typeof name === 'string')) throw new ModelFileError(path, '"added_params" must be an array of tensor names');
  return added as string[];
}

const MAX_STRATEGY_FILE_BYTES = 16 * 1024 * 1024;

function sameLabels(a: string[], b: string[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((label, i) => label === b[i]);
}

async function missingWeightsMessage(dir: string): Promise<string> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const others = files.filter((f) => /^(pytorch_model.*\.bin|tf_model\.h5|flax_model\.msgpack|model\.safetensors\.index\.json|model-\d+-of-\d+\.safetensors)$/.test(f));
  const found = others.length ? ` It has ${others.join(', ')}:` : '';
  return `not found.${found} only a single model.safetensors file is supported (no pytorch_model.bin, TF/Flax weights or sharded checkpoints; convert with transformers: model.save_pretrained(dir, safe_serialization=True)).`;
}
