import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig, TaskHead } from '../types.ts';
import { parseBertConfig, withLabels } from '../config/bert-config.ts';
import { ARCHITECTURE_OF_HEAD } from './heads.ts';
import { initialValue, sinusoidalPositions } from './init.ts';
import { TfBertModel } from './model.ts';
import { parameterLayout } from './parameter-layout.ts';

export interface CreateOptions {
  /** Label names for a classification head (sets id2label/label2id). */
  labels?: string[];
  /** How the learned position table starts: `normal` (HF `_init_weights`, the default) or `sinusoidal`. */
  positionInit?: PositionInit;
}

export type PositionInit = 'normal' | 'sinusoidal';

const POSITION_TABLE = 'bert.embeddings.position_embeddings.weight';

/** A new randomly initialised BERT (HF `_init_weights`, optionally sinusoidal positions), deterministic for a given seed. */
export function createModel(config: BertConfig, head: TaskHead, seed: number, options: CreateOptions = {}): TfBertModel {
  let checked = parseBertConfig({ ...config, architectures: [ARCHITECTURE_OF_HEAD[head]] }, 'createModel config');
  if (options.labels) checked = withLabels(checked, options.labels);
  const specs = parameterLayout(checked, head, { pooler: false });
  const values = new Map(specs.map((spec) => [spec.name, initialValue(spec, checked, seed)]));
  if (options.positionInit === 'sinusoidal') {
    values.get(POSITION_TABLE)!.dispose();
    const [positions, width] = specs.find((spec) => spec.name === POSITION_TABLE)!.shape as [number, number]; // width: embedding_size if factorised
    values.set(POSITION_TABLE, sinusoidalPositions(positions, width, (checked.initializer_range as number | undefined) ?? 0.02));
  }
  try {
    return new TfBertModel(checked, head, specs, values);
  } finally {
    tf.dispose([...values.values()]);
  }
}
