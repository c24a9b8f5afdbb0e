/**
 * The strategy contract: a named, schema-described transformation of a loaded BERT model
 * (which parameters train, which layers are added), in the manner of PEFT's tuners.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BertModel } from '@tunekit/model-loader';
import type { JsonSchema } from '@tunekit/pipeline';

export interface ApplyOptions {
  /** Seed for every random initialisation the strategy performs. */
  seed: number;
}

/** What `apply` returns: the live strategy on one model. */
export interface AppliedStrategy<C = Record<string, unknown>> {
  readonly name: string;
  /** The validated config (defaults filled), exactly what `tunekit_strategy.json` records. */
  readonly config: C;
  /** HF-style names of the parameters this strategy added to `model.params` (saved in `tunekit_strategy.safetensors`). */
  readonly addedParams: string[];
  /** Fold added weights into the base weights (LoRA); outputs stay the same. */
  merge?(): void;
  /** Undo `merge`, restoring the base weights. */
  unmerge?(): void;
  /** Extra files written next to the model (e.g. PEFT's adapter_config.json + adapter_model.safetensors). */
  exportFiles?(dir: string, info: ExportInfo): Promise<void>;
  /** Remove hooks/wrappers and dispose added parameters; the model is the base model again. */
  remove(): void;
}

export interface ExportInfo {
  /** Where the base model came from (PEFT's `base_model_name_or_path`). */
  baseModelNameOrPath: string;
}

export interface StrategyDefinition<C = Record<string, unknown>> {
  /** Registry key and the `strategies/<name>` stage id suffix. */
  name: string;
  /** One line for docs. */
  description: string;
  /**
   * Third-party strategies: the import specifier whose import registers this strategy (e.g. the
   * npm package name). Recorded in `tunekit_strategy.json` so another process can re-apply it.
   */
  package?: string;
  /** JSON Schema (type object) of the config: every option has a type, a default and a description. */
  configSchema: JsonSchema;
  /** Make the strategy live on `model`: narrow `model.trainable`, add parameters, wrap modules. */
  apply(model: BertModel, config: C, options: ApplyOptions): AppliedStrategy<C>;
}

/** Tensors keyed by name, e.g. strategy weights to save. */
export type NamedTensors = Record<string, tf.Tensor>;
