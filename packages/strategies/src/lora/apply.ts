import type { BertModel } from '@tunekit/model-loader';
import { hashString, paramSeed, uniformInit, zerosInit } from '../init.ts';
import type { AppliedStrategy } from '../types.ts';
import { loraScaling, type LoraConfig } from './config.ts';
import { loraWrapper, mergeLayer, unmergeLayer, type LoraLayer } from './layer.ts';
import { writePeftAdapter } from './peft-format.ts';
import { isInSavedModule, newlyInitialisedModules, resolveModulesToSave, selectTargetModules } from './targets.ts';

/** LoRA parameter names under their module: `<module>.lora_A.weight`, `<module>.lora_B.weight`. */
export function loraParamNames(module: string): { a: string; b: string } {
  return { a: `${module}.lora_A.weight`, b: `${module}.lora_B.weight` };
}

export interface AppliedLora extends AppliedStrategy<LoraConfig> {
  readonly layers: LoraLayer[];
  /**
   * PEFT's `modules_to_save` as exported: the configured ones (trained in full) plus modules the
   * model initialised at random (saved with their values, trained only if configured).
   */
  readonly modulesToSave: string[];
  merge(): void;
  unmerge(): void;
}

/** Wrap the target linear modules with a low-rank update; base frozen, head (modules_to_save) trains. */
export function applyLora(model: BertModel, config: LoraConfig, seed: number): AppliedLora {
  const paramNames = [...model.params.keys()];
  const trainedModules = resolveModulesToSave(paramNames, config);
  // A new head's random modules (e.g. the pooler of a sequence-classification head on an MLM base)
  // travel with the adapter, or PEFT's from_pretrained on the base would draw them again.
  const fresh = newlyInitialisedModules((model as { loadReport?: { newlyInitialized: string[] } }).loadReport?.newlyInitialized ?? []);
  const modulesToSave = [...trainedModules, ...fresh.filter((m) => !trainedModules.includes(m))];
  // Only modules of the body (embeddings, encoder): the strategy stage (base model, e.g. an MLM head)
  // and training (task head) must choose the same targets.
  const targets = selectTargetModules(model.linearModules(), config, trainedModules);
  const scaling = loraScaling(config);
  const layers: LoraLayer[] = [];
  const added: string[] = [];
  for (const module of targets) {
    const weight = model.params.get(`${module}.weight`);
    if (!weight) throw new Error(`strategy "lora": linear module "${module}" has no parameter "${module}.weight"`);
    const [outFeatures, inFeatures] = weight.shape as [number, number];
    const names = loraParamNames(module);
    // PEFT: A ~ kaiming_uniform(a=√5) = U(-1/√in, 1/√in); B = 0, so B·A = 0 at init.
    const layer: LoraLayer = {
      module,
      a: uniformInit([config.r, inFeatures], 1 / Math.sqrt(inFeatures), paramSeed(seed, names.a)),
      b: zerosInit([outFeatures, config.r]),
      scaling,
      dropout: config.dropout,
      seedOffset: hashString(module) % 1_000_003,
      merged: false,
    };
    model.params.set(names.a, layer.a);
    model.params.set(names.b, layer.b);
    added.push(names.a, names.b);
    model.wrapLinear(module, loraWrapper(layer));
    layers.push(layer);
  }
  const trainable = new Set(added);
  for (const name of paramNames) {
    if (isInSavedModule(name, trainedModules)) trainable.add(name);
    if (name.endsWith('.bias')) {
      if (config.bias === 'all') trainable.add(name);
      if (config.bias === 'lora_only' && targets.includes(name.slice(0, -'.bias'.length))) trainable.add(name);
    }
  }
  model.trainable = trainable;
  const baseWeight = (layer: LoraLayer) => model.params.get(`${layer.module}.weight`)!;
  const applied: AppliedLora = {
    name: 'lora',
    config,
    addedParams: added,
    layers,
    modulesToSave,
    merge() {
      for (const layer of layers) mergeLayer(layer, baseWeight(layer));
    },
    unmerge() {
      for (const layer of layers) unmergeLayer(layer, baseWeight(layer));
    },
    async exportFiles(dir, info) {
      await writePeftAdapter(dir, model, applied, info);
    },
    remove() {
      applied.unmerge();
      for (const layer of layers) model.wrapLinear(layer.module, null);
      for (const name of added) {
        model.params.get(name)?.dispose();
        model.params.delete(name);
      }
      model.trainable = new Set([...model.trainable].filter((n) => !added.includes(n)));
    },
  };
  return applied;
}
