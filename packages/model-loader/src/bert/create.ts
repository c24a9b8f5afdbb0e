import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig, TaskHead } from '../types.ts';
import { parseBertConfig, withLabels } from '../config/bert-config.ts';
import { ARCHITECTURE_OF_HEAD } from './heads.ts';
import { initialValue } from './init.ts';
import { TfBertModel } from './model.ts';
import { parameterLayout } from './parameter-layout.ts';

export interface CreateOptions {
  /** Label names for a classification head (sets id2label/label2id). */
  labels?: string[];
}

/** A new randomly initialised BERT (HF `_init_weights`), deterministic for a given seed. */
export function createModel(config: BertConfig, head: TaskHead, seed: number, options: CreateOptions = {}): TfBertModel {
  let checked = parseBertConfig({ ...config, architectures: [ARCHITECTURE_OF_HEAD[head]] }, 'createModel config');
  if (options.labels) checked = withLabels(checked, options.labels);
  const specs = parameterLayout(checked, head, { pooler: false });
  const values = new Map(specs.map((spec) => [spec.name, initialValue(spec, checked, seed)]));
  try {
    return new TfBertModel(checked, head, specs, values);
  } finally {
    tf.dispose([...values.values()]);
  }
}
