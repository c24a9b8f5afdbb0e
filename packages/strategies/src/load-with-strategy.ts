/**
 * Load a model artifact the way it was trained: `loadModel(dir)` plus the strategy recorded in
 * `tunekit_strategy.json` (LoRA / adapter layers and their trained weights). A LoRA or adapter model
 * loaded with `loadModel` alone is the bare base model — use this for evaluation and prediction.
 */
import { loadModel, type LoadedBertModel, type LoadOptions } from '@tunekit/model-loader';
import { restoreStrategy } from './state-file.ts';
import type { AppliedStrategy } from './types.ts';

export interface ModelWithStrategy {
  model: LoadedBertModel;
  /** null when the artifact records no strategy (a plain HF checkpoint). */
  strategy: AppliedStrategy<any> | null;
}

export async function loadModelWithStrategy(dir: string, options: LoadOptions & { merge?: boolean } = {}): Promise<ModelWithStrategy> {
  const { merge, ...loadOptions } = options;
  const model = await loadModel(dir, loadOptions);
  try {
    const strategy = await restoreStrategy(model, dir);
    if (merge) strategy?.merge?.();
    return { model, strategy };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
