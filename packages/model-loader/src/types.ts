/**
 * The model contract shared by model-loader, strategies, training and evaluation.
 * Parameters are addressed by their Hugging Face names everywhere
 * (`bert.encoder.layer.3.attention.self.query.weight`); tensors keep HF layout
 * (linear weights [out, in]).
 */
import type * as tf from '@tensorflow/tfjs-core';

/** Hugging Face `config.json` fields TuneKit reads (others are kept and written back untouched). */
export interface BertConfig {
  model_type: string;
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: 'gelu' | 'gelu_new' | 'relu';
  max_position_embeddings: number;
  type_vocab_size: number;
  layer_norm_eps: number;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  pad_token_id?: number;
  architectures?: string[];
  id2label?: Record<string, string>;
  label2id?: Record<string, number>;
  [field: string]: unknown;
}

/** Which head sits on the encoder (HF architectures BertModel / ...ForTokenClassification / ...ForSequenceClassification / ...ForMaskedLM). */
export type TaskHead = 'none' | 'token-classification' | 'sequence-classification' | 'masked-lm';

export interface ModelInputs {
  inputIds: tf.Tensor2D;
  /** 1 for real tokens, 0 for padding; all ones when omitted. */
  attentionMask?: tf.Tensor2D;
  /** Segment ids; zeros when omitted. */
  tokenTypeIds?: tf.Tensor2D;
}

export interface ForwardOptions {
  /** Dropout on when true. */
  training?: boolean;
  /** Seed for this call's dropout masks (deterministic training). */
  seed?: number;
  /** Also return every layer's output (embeddings output first). */
  outputHiddenStates?: boolean;
}

export interface ModelOutputs {
  lastHiddenState: tf.Tensor3D;
  /** Present when the model has a pooler. */
  pooled?: tf.Tensor2D;
  /** [B, L, labels] for token classification, [B, labels] for sequence classification, [B, L, vocab] for masked LM. */
  logits?: tf.Tensor;
  hiddenStates?: tf.Tensor3D[];
}

/** Replaces a linear module's computation; `base` computes the original x·Wᵀ + b. */
export type LinearWrapper = (x: tf.Tensor, base: (x: tf.Tensor) => tf.Tensor, options: ForwardOptions) => tf.Tensor;

/** Applied to a sublayer output (after its dense + dropout, before the residual LayerNorm). */
export type SublayerHook = (hidden: tf.Tensor, options: ForwardOptions) => tf.Tensor;

export interface BertModel {
  readonly config: BertConfig;
  readonly head: TaskHead;
  /** Every parameter by HF name, including those a strategy adds (e.g. `...query.lora_A.weight`). */
  readonly params: Map<string, tf.Variable>;
  /** Names of parameters that receive gradients (all by default; strategies narrow it). */
  trainable: Set<string>;
  forward(inputs: ModelInputs, options?: ForwardOptions): ModelOutputs;
  /** Names of the linear modules, e.g. `bert.encoder.layer.0.attention.self.query`, `classifier`. */
  linearModules(): string[];
  /** Wrap (or with null, unwrap) a named linear module. */
  wrapLinear(module: string, wrapper: LinearWrapper | null): void;
  /** Sublayer hook points: `bert.encoder.layer.N.attention.output` and `bert.encoder.layer.N.output`. */
  setSublayerHook(module: string, hook: SublayerHook | null): void;
  dispose(): void;
}
