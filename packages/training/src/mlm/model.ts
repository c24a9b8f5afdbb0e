/** The model `training/pretrain-mlm` trains, built the same way in the stage and in each data-parallel replica. */
import { loadModel, type BertModel } from '@tunekit/model-loader';
import { applyStrategy } from '@tunekit/strategies';

/** The input BERT with the masked-LM head, every parameter trainable. */
export async function loadMlmModel(modelDir: string, seed: number, log?: (message: string) => void, check?: (model: BertModel) => void): Promise<BertModel> {
  const model = await loadModel(modelDir, { head: 'masked-lm', seed });
  try {
    check?.(model);
    applyStrategy(model, 'full', {}, { seed, log });
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
