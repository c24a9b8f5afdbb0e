import type { BertConfig } from '../types.ts';
import { ModelFileError } from '../files/model-file-error.ts';

export const SUPPORTED_ACTIVATIONS = ['gelu', 'gelu_new', 'relu'] as const;

/** Hugging Face `BertConfig` defaults for fields a config.json may omit (the size fields are required). */
const DEFAULTS = {
  hidden_act: 'gelu',
  max_position_embeddings: 512,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  initializer_range: 0.02,
  pad_token_id: 0,
} as const;

const REQUIRED_SIZES = ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size'] as const;

/**
 * Upper bounds, checked before anything is sized from the config (a corrupted `num_hidden_layers:
 * 1e9` must be an error, not a hang). Far above any BERT checkpoint (BERT-large: 24 layers, hidden
 * 1024, vocab 30,522; multilingual vocabularies ~250k).
 */
export const MAX_SIZES = {
  vocab_size: 4_000_000,
  hidden_size: 65_536,
  num_hidden_layers: 1_024,
  num_attention_heads: 4_096,
  intermediate_size: 262_144,
  max_position_embeddings: 1_048_576,
  type_vocab_size: 1_024,
} as const;

/**
 * Validate a parsed config.json. Unknown fields are kept untouched (they are written back on save);
 * missing optional fields get HF's `BertConfig` defaults. `label` names the file in errors.
 */
export function parseBertConfig(raw: unknown, label: string): BertConfig {
  const fail = (problem: string): never => {
    throw new ModelFileError(label, `invalid BERT config: ${problem}`);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('expected a JSON object');
  const config: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (config.model_type === undefined) fail('"model_type" is missing (expected "bert")');
  if (config.model_type !== 'bert') fail(`"model_type" is ${JSON.stringify(config.model_type)}; only "bert" is supported`);
  for (const [key, value] of Object.entries(DEFAULTS)) if (config[key] === undefined) config[key] = value;

  for (const key of [...REQUIRED_SIZES, 'max_position_embeddings', 'type_vocab_size'] as const) {
    const value = config[key];
    if (value === undefined) fail(`"${key}" is missing`);
    if (!Number.isInteger(value) || (value as number) < 1) fail(`"${key}" must be a positive integer, found ${JSON.stringify(value)}`);
    if ((value as number) > MAX_SIZES[key]) fail(`"${key}" is ${value}, above the supported maximum ${MAX_SIZES[key]}`);
  }
  if (config.embedding_size !== undefined && config.embedding_size !== null) {
    const value = config.embedding_size;
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_SIZES.hidden_size) {
      fail(`"embedding_size" must be a positive integer up to ${MAX_SIZES.hidden_size}, found ${JSON.stringify(value)}`);
    }
  }
  const hidden = config.hidden_size as number;
  const heads = config.num_attention_heads as number;
  if (hidden % heads !== 0) fail(`"hidden_size" (${hidden}) must be a multiple of "num_attention_heads" (${heads})`);
  if (!SUPPORTED_ACTIVATIONS.includes(config.hidden_act as never)) {
    fail(`"hidden_act" ${JSON.stringify(config.hidden_act)} is not supported (supported: ${SUPPORTED_ACTIVATIONS.join(', ')})`);
  }
  for (const key of ['hidden_dropout_prob', 'attention_probs_dropout_prob'] as const) {
    const value = config[key];
    if (typeof value !== 'number' || value < 0 || value >= 1) fail(`"${key}" must be a number in [0, 1), found ${JSON.stringify(value)}`);
  }
  if (config.classifier_dropout !== undefined && config.classifier_dropout !== null) {
    const value = config.classifier_dropout;
    if (typeof value !== 'number' || value < 0 || value >= 1) fail(`"classifier_dropout" must be null or a number in [0, 1), found ${JSON.stringify(value)}`);
  }
  if (typeof config.layer_norm_eps !== 'number' || !(config.layer_norm_eps > 0)) fail(`"layer_norm_eps" must be a positive number, found ${JSON.stringify(config.layer_norm_eps)}`);
  if (typeof config.initializer_range !== 'number' || !(config.initializer_range > 0)) fail(`"initializer_range" must be a positive number`);
  if (config.position_embedding_type !== undefined && config.position_embedding_type !== 'absolute') {
    fail(`"position_embedding_type" ${JSON.stringify(config.position_embedding_type)} is not supported (only "absolute")`);
  }
  if (config.pad_token_id !== null && (!Number.isInteger(config.pad_token_id) || (config.pad_token_id as number) < 0 || (config.pad_token_id as number) >= (config.vocab_size as number))) {
    fail(`"pad_token_id" must be an integer in [0, vocab_size), found ${JSON.stringify(config.pad_token_id)}`);
  }
  if (config.architectures !== undefined && (!Array.isArray(config.architectures) || !config.architectures.every((a) => typeof a === 'string'))) {
    fail('"architectures" must be an array of strings');
  }
  if (config.id2label !== undefined) {
    const labels = labelsFromId2Label(config.id2label, fail);
    config.id2label = Object.fromEntries(labels.map((name, id) => [String(id), name]));
    if (config.label2id !== undefined) checkLabel2Id(config.label2id, labels, fail);
    else config.label2id = Object.fromEntries(labels.map((name, id) => [name, id]));
  }
  return config as BertConfig;
}

/** Label names in id order, or undefined when the config has none. */
export function configLabels(config: BertConfig): string[] | undefined {
  if (!config.id2label) return undefined;
  return Object.keys(config.id2label).sort((a, b) => Number(a) - Number(b)).map((id) => config.id2label![id]);
}

/** The config with `id2label`/`label2id` set from a label list. */
export function withLabels(config: BertConfig, labels: string[]): BertConfig {
  if (new Set(labels).size !== labels.length) throw new Error(`labels must be unique, got ${JSON.stringify(labels)}`);
  return {
    ...config,
    id2label: Object.fromEntries(labels.map((name, id) => [String(id), name])),
    label2id: Object.fromEntries(labels.map((name, id) => [name, id])),
  };
}

function labelsFromId2Label(value: unknown, fail: (problem: string) => never): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('"id2label" must be an object {"0": "label", ...}');
  const entries = Object.entries(value as Record<string, unknown>);
  const labels: string[] = [];
  for (const [key, name] of entries) {
    const id = Number(key);
    if (!/^\d+$/.test(key) || id >= entries.length) fail(`"id2label" keys must be 0..${entries.length - 1}, found ${JSON.stringify(key)}`);
    if (typeof name !== 'string') fail(`"id2label.${key}" must be a string`);
    labels[id] = name as string;
  }
  if (new Set(labels).size !== labels.length) fail('"id2label" has duplicate label names');
  return labels;
}

function checkLabel2Id(value: unknown, labels: string[], fail: (problem: string) => never): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('"label2id" must be an object {"label": 0, ...}');
  const map = value as Record<string, unknown>;
  const consistent = Object.keys(map).length === labels.length && labels.every((name, id) => map[name] === id);
  if (!consistent) fail('"label2id" does not match "id2label"');
}
