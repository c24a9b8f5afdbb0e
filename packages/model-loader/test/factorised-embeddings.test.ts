/**
 * Factorised embeddings (`embedding_size` ≠ `hidden_size`, HF ElectraConfig): embeddings of width E,
 * projected to H by `bert.embeddings_project` (HF ElectraModel's `embeddings_project`); a masked-LM
 * head maps back to E, where its decoder is tied to the word embeddings. This is how ELECTRA's small
 * generator reads the discriminator's embeddings. Without `embedding_size` nothing changes.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { createModel, loadModel, parseBertConfig, saveModel } from '../src/index.ts';
import { useBackend } from './helpers/backend.ts';
import { tempDir } from './helpers/checkpoints.ts';

beforeAll(() => useBackend('cpu'));

const CONFIG = parseBertConfig(
  { model_type: 'bert', vocab_size: 30, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, max_position_embeddings: 16, embedding_size: 12 },
  'test config',
);

describe('embedding_size (factorised embeddings)', () => {
  test('parameters: embeddings and their LayerNorm of width E, a projection [H, E], the MLM transform back to E', () => {
    const model = createModel(CONFIG, 'masked-lm', 3);
    const shape = (name: string) => model.params.get(name)?.shape;
    expect(shape('bert.embeddings.word_embeddings.weight')).toEqual([30, 12]);
    expect(shape('bert.embeddings.position_embeddings.weight')).toEqual([16, 12]);
    expect(shape('bert.embeddings.LayerNorm.weight')).toEqual([12]);
    expect(shape('bert.embeddings_project.weight')).toEqual([8, 12]);
    expect(shape('bert.encoder.layer.0.attention.self.query.weight')).toEqual([8, 8]);
    expect(shape('cls.predictions.transform.dense.weight')).toEqual([12, 8]);
    expect(shape('cls.predictions.transform.LayerNorm.weight')).toEqual([12]);
    expect(model.linearModules()[0]).toBe('bert.embeddings_project');
    const out = model.forward({ inputIds: tf.tensor2d([[2, 5, 7, 3]], [1, 4], 'int32') }, { outputHiddenStates: true });
    expect(out.lastHiddenState.shape).toEqual([1, 4, 8]);
    expect(out.hiddenStates![0]!.shape).toEqual([1, 4, 8]);
    expect(out.logits!.shape).toEqual([1, 4, 30]);
    model.dispose();
  });

  test('save → load keeps embedding_size and every weight; embedding_size = hidden_size adds no projection', async () => {
    const dir = await tempDir();
    const model = createModel(CONFIG, 'masked-lm', 3);
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.config.embedding_size).toBe(12);
    for (const [name, variable] of model.params) expect(loaded.params.get(name)!.dataSync()).toEqual(variable.dataSync());
    model.dispose();
    loaded.dispose();
    const plain = createModel({ ...CONFIG, embedding_size: 8 }, 'masked-lm', 3);
    expect(plain.params.has('bert.embeddings_project.weight')).toBe(false);
    plain.dispose();
  });

  test('a bad embedding_size is a config error', () => {
    expect(() => parseBertConfig({ ...CONFIG, embedding_size: 0 }, 'x/config.json')).toThrow('"embedding_size" must be a positive integer');
  });
});
