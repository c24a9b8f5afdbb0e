/** The model `training/fine-tune` trains, built the same way in the stage and in each data-parallel replica. */
import type { Task } from '@tunekit/data-prep';
import { loadModel, type BertModel } from '@tunekit/model-loader';
import { applyStrategy, restoreStrategy, type AppliedStrategy } from '@tunekit/strategies';

/** The input model with a head for `task` sized from `labels`, and the strategy it carries re-applied (full when none). */
export async function loadFineTuneModel(modelDir: string, task: Task, labels: string[], seed: number, log?: (message: string) => void): Promise<{ model: BertModel; applied: AppliedStrategy<any> }> {
  const model = await loadModel(modelDir, { head: task, labels, seed });
  try {
    const applied = (await restoreStrategy(model, modelDir, log)) ?? applyStrategy(model, 'full', {}, { seed, log }).applied;
    return { model, applied };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
