import type { BertModel } from '@tunekit/model-loader';
import { isHeadParam } from '../names.ts';
import { normalInit, paramSeed, zerosInit } from '../init.ts';
import type { AppliedStrategy } from '../types.ts';
import { bottleneckSize, type AdapterConfig } from './config.ts';
import { addTensorsToWeights } from './export.ts';
import { adapterHook, adapterParamNames, type AdapterWeights } from './layer.ts';

/** Sublayer hook points that get an adapter: Houlsby both, Pfeiffer the FFN output only. */
export function adapterModules(numLayers: number, variant: AdapterConfig['variant']): string[] {
  const modules: string[] = [];
  for (let layer = 0; layer < numLayers; layer++) {
    if (variant === 'houlsby') modules.push(`bert.encoder.layer.${layer}.attention.output`);
    modules.push(`bert.encoder.layer.${layer}.output`);
  }
  return modules;
}

/** Insert adapters in every transformer block; only adapters (and the head, optionally LayerNorms) train. */
export function applyAdapter(model: BertModel, config: AdapterConfig, seed: number): AppliedStrategy<AdapterConfig> {
  const hidden = model.config.hidden_size;
  const size = bottleneckSize(config, hidden);
  const modules = adapterModules(model.config.num_hidden_layers, config.variant);
  const added: string[] = [];
  for (const module of modules) {
    const names = adapterParamNames(module);
    const weights: AdapterWeights = {
      downWeight: normalInit([size, hidden], config.init_std, paramSeed(seed, names.downWeight)),
      downBias: zerosInit([size]),
      upWeight: zerosInit([hidden, size]),
      upBias: zerosInit([hidden]),
    };
    for (const key of Object.keys(names) as (keyof AdapterWeights)[]) {
      model.params.set(names[key], weights[key]);
      added.push(names[key]);
    }
    model.setSublayerHook(module, adapterHook(weights, config.activation));
  }
  model.trainable = new Set([
    ...added,
    ...[...model.params.keys()].filter((name) => isHeadParam(name) || (config.train_layer_norm && name.includes('LayerNorm'))),
  ]);
  return {
    name: 'adapter',
    config,
    addedParams: added,
    async exportFiles(dir) {
      await addTensorsToWeights(dir, added.map((name) => [name, model.params.get(name)!]));
    },
    remove() {
      for (const module of modules) model.setSublayerHook(module, null);
      for (const name of added) {
        model.params.get(name)?.dispose();
        model.params.delete(name);
        model.trainable.delete(name);
      }
    },
  };
}
