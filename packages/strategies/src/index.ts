import './builtin.ts';

export { registerStrategy, getStrategy, listStrategies, resolveConfig } from './registry.ts';
export { validateConfig } from './config-schema.ts';
export { optionsTable } from './options-table.ts';
export { applyStrategy, type ApplyStrategyOptions } from './apply-strategy.ts';
export { countParams, formatParamCounts, type ParamCounts } from './param-counts.ts';
export { isHeadParam, isEmbeddingParam, encoderLayerIndex, isBiasOrLayerNorm } from './names.ts';
export { STRATEGY_FILE, STRATEGY_WEIGHTS_FILE, writeStrategyState, readStrategyState, restoreStrategy, type StrategyState } from './state-file.ts';
export { loadModelWithStrategy, type ModelWithStrategy } from './load-with-strategy.ts';
export { saveTensors, loadTensors, assignTensors, type LoadedTensor } from './tensor-io.ts';
export { paramSeed, hashString } from './init.ts';
export type { StrategyDefinition, AppliedStrategy, ApplyOptions, ExportInfo } from './types.ts';
export { fullStrategy, type FullConfig } from './full/index.ts';
export { partialStrategy, type PartialConfig } from './partial/index.ts';
export { adapterStrategy, type AdapterConfig } from './adapter/index.ts';
export { adapterForward, adapterParamNames } from './adapter/layer.ts';
export { adapterModules } from './adapter/apply.ts';
export * from './lora/index.ts';
