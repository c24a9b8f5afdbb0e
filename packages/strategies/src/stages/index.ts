import adapter from './adapter.ts';
import full from './full.ts';
import lora from './lora.ts';
import partial from './partial.ts';

export const stages = [full, partial, adapter, lora];
export { strategyStage, type StrategyStageOptions } from './strategy-stage.ts';
