import type { StageDefinition } from '@tunekit/pipeline';
import adapter from './adapter.ts';
import apply from './apply.ts';
import full from './full.ts';
import lora from './lora.ts';
import partial from './partial.ts';

/** Heterogeneous params: each stage validates its own. */
export const stages: StageDefinition<any>[] = [full, partial, adapter, lora, apply];
export { strategyStage, type StrategyStageOptions } from './strategy-stage.ts';
