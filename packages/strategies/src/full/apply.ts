import { headUsesPooler, type BertModel } from '@tunekit/model-loader';
import { isUnusedByHead } from '../names.ts';
import type { AppliedStrategy } from '../types.ts';
import type { FullConfig } from './config.ts';

/** Every parameter the model uses trains (the classic fine-tuning baseline). */
export function applyFull(model: BertModel, config: FullConfig): AppliedStrategy<FullConfig> {
  const usesPooler = headUsesPooler(model.head);
  model.trainable = new Set([...model.params.keys()].filter((name) => !isUnusedByHead(name, usesPooler)));
  return { name: 'full', config, addedParams: [], remove() {} };
}
