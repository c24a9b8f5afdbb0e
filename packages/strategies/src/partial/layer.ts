/**
 * `partial` adds no layers; this file holds its per-parameter rule (the "layer" of the strategy):
 * whether one HF-named parameter stays frozen.
 */
import { encoderLayerIndex, isEmbeddingParam, isHeadParam } from '../names.ts';
import type { PartialConfig } from './config.ts';

export function isFrozenByPartial(name: string, config: PartialConfig, numLayers: number, patterns: RegExp[]): boolean {
  if (isHeadParam(name)) return false;
  if (config.freeze_embeddings && isEmbeddingParam(name)) return true;
  if (config.train_last_n_layers !== null) {
    const layer = encoderLayerIndex(name);
    if (layer !== undefined && layer < numLayers - config.train_last_n_layers) return true;
    // With n = 0 nothing of the encoder trains, the pooler included.
    if (config.train_last_n_layers === 0 && name.startsWith('bert.pooler.')) return true;
  }
  return patterns.some((pattern) => pattern.test(name));
}

export function compilePatterns(patterns: string[]): RegExp[] {
  return patterns.map((source) => {
    try {
      return new RegExp(source);
    } catch (error) {
      throw new Error(`strategy "partial": freeze_patterns entry ${JSON.stringify(source)} is not a valid regular expression (${(error as Error).message})`);
    }
  });
}
