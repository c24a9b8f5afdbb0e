import { headUsesPooler, type BertModel } from '@tunekit/model-loader';
import { isUnusedByHead } from '../names.ts';
import type { AppliedStrategy } from '../types.ts';
import type { PartialConfig } from './config.ts';
import { compilePatterns, isFrozenByPartial } from './layer.ts';

/** Freeze by name (regex, last-N-layers, embeddings); everything else, and always the head, trains. */
export function applyPartial(model: BertModel, config: PartialConfig): AppliedStrategy<PartialConfig> {
  const patterns = compilePatterns(config.freeze_patterns);
  const numLayers = model.config.num_hidden_layers;
  const usesPooler = headUsesPooler(model.head);
  model.trainable = new Set(
    [...model.params.keys()].filter((name) => !isUnusedByHead(name, usesPooler) && !isFrozenByPartial(name, config, numLayers, patterns)),
  );
  return { name: 'partial', config, addedParams: [], remove() {} };
}
