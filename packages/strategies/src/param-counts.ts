/** Trainable / total parameter counts, logged by every strategy. */
import type { BertModel } from '@tunekit/model-loader';

export interface ParamCounts {
  trainable: number;
  total: number;
  /** 100 · trainable / total. */
  trainablePercent: number;
}

export function countParams(model: BertModel): ParamCounts {
  let total = 0;
  let trainable = 0;
  for (const [name, variable] of model.params) {
    total += variable.size;
    if (model.trainable.has(name)) trainable += variable.size;
  }
  return { trainable, total, trainablePercent: total === 0 ? 0 : (100 * trainable) / total };
}

/** `trainable params: 1,234 || all params: 5,678 || trainable%: 21.7325` (PEFT's print_trainable_parameters wording). */
export function formatParamCounts(counts: ParamCounts): string {
  return `trainable params: ${counts.trainable.toLocaleString('en-US')} || all params: ${counts.total.toLocaleString('en-US')} || trainable%: ${counts.trainablePercent.toFixed(4)}`;
}
