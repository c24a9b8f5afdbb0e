import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { loadModel, type LoadedBertModel } from '../src/index.ts';
import { useBackend, type TestBackend } from './helpers/backend.ts';
import { EXPECTED, maxAbsDiff } from './helpers/fixture.ts';
import { TINY_BERT_DIR } from './helpers/paths.ts';

/**
 * The oracle: outputs of Hugging Face transformers for the tiny-bert fixture, reproduced within
 * the fixture's tolerance (atol 1e-4) on every position, padded ones included.
 */
const ATOL = EXPECTED.tolerance.atol;

for (const backend of ['cpu', 'wasm'] as TestBackend[]) {
  describe(`tiny-bert vs Hugging Face on the ${backend} backend`, () => {
    let model: LoadedBertModel;
    const diffs = { last_hidden_state: 0, logits: 0, expected_pooled: 0, hidden_states: 0 };

    beforeAll(async () => {
      await useBackend(backend);
      model = await loadModel(TINY_BERT_DIR);
    });
    afterAll(() => {
      model.dispose();
      // Reported in the package README (max abs diff per backend).
      console.log(`[tiny-bert ${backend}] max abs diff vs HF: ${JSON.stringify(diffs)}`);
    });

    test.each(EXPECTED.inputs.map((batch, index) => [batch.name, index] as const))('batch %s matches last_hidden_state, hidden_states, logits and pooled', (_name, index) => {
      const batch = EXPECTED.inputs[index];
      const outputs = tf.tidy(() =>
        model.forward(
          { inputIds: tf.tensor2d(batch.input_ids, undefined, 'int32'), attentionMask: tf.tensor2d(batch.attention_mask, undefined, 'int32'), tokenTypeIds: tf.tensor2d(batch.token_type_ids, undefined, 'int32') },
          { outputHiddenStates: true },
        ) as unknown as tf.TensorContainer,
      ) as unknown as ReturnType<LoadedBertModel['forward']>;
      const got = {
        last_hidden_state: outputs.lastHiddenState.arraySync(),
        logits: outputs.logits!.arraySync(),
        expected_pooled: outputs.pooled!.arraySync(),
        hidden_states: outputs.hiddenStates!.map((h) => h.arraySync()),
      };
      tf.dispose(outputs as unknown as tf.TensorContainer);
      for (const key of Object.keys(diffs) as Array<keyof typeof diffs>) {
        const diff = maxAbsDiff(got[key], EXPECTED[key][index]);
        diffs[key] = Math.max(diffs[key], diff);
        expect(diff).toBeLessThan(ATOL);
      }
    });
  });
}
