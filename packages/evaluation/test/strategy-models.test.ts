/**
 * Models trained with a strategy are scored as they were trained: a LoRA artifact keeps the base
 * weights in model.safetensors and its trained A/B in tunekit_strategy.safetensors, so loading
 * model.safetensors alone would score the base encoder (regression: evaluation and forgetting did).
 */
import { describe, expect, test } from '@jest/globals';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManifest } from '@tunekit/pipeline';
import { loadInferenceModel } from '../src/predict/inference-model.ts';
import forgetting from '../src/stages/evaluation-forgetting.ts';
import { TINY_BERT } from './helpers/artifacts.ts';
import { stageContext, tempDir } from './helpers/stage-context.ts';

process.env.TUNEKIT_BACKEND = 'cpu';

const IDS = [2, 10, 11, 12, 13, 14, 3];

/** The tiny fixture with LoRA (r 4, query/value) whose B matrices are non-zero, as after training. */
async function loraArtifact(): Promise<{ dir: string; logits: number[] }> {
  const loader = await import('@tunekit/model-loader');
  const strategies = await import('@tunekit/strategies');
  const tf = await import('@tensorflow/tfjs-core');
  await loader.activateBackend('cpu');
  const model = await loader.loadModel(TINY_BERT);
  const { applied } = strategies.applyStrategy(model, 'lora', { r: 4, alpha: 8, target_modules: ['query', 'value'] }, { seed: 1 });
  for (const name of applied.addedParams.filter((n) => n.includes('lora_B'))) {
    const v = model.params.get(name)!;
    v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', 7));
  }
  const dir = await tempDir('tunekit-lora-');
  await loader.saveModel(model, dir);
  await strategies.writeStrategyState(dir, model, applied, 1);
  await copyFile(join(TINY_BERT, 'vocab.txt'), join(dir, 'vocab.txt'));
  const logits = forwardLogits(model, tf);
  model.dispose();
  return { dir, logits };
}

function forwardLogits(model: import('@tunekit/model-loader').BertModel, tf: typeof import('@tensorflow/tfjs-core')): number[] {
  return tf.tidy(() => {
    const inputIds = tf.tensor2d([IDS], [1, IDS.length], 'int32');
    const attentionMask = tf.onesLike(inputIds);
    return Array.from(model.forward({ inputIds, attentionMask } as never).logits!.dataSync());
  });
}

describe('models carrying a strategy', () => {
  test('loadInferenceModel applies the LoRA weights: logits equal the trained LoRA model within 1e-5, not the base', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const loader = await import('@tunekit/model-loader');
    const { dir, logits } = await loraArtifact();
    const inference = await loadInferenceModel(dir);
    const got = forwardLogits(inference.model, tf);
    inference.model.dispose();
    const base = await loader.loadModel(dir);
    const baseLogits = forwardLogits(base, tf);
    base.dispose();
    expect(Math.max(...got.map((v, i) => Math.abs(v - logits[i]!)))).toBeLessThan(1e-5);
    expect(Math.max(...baseLogits.map((v, i) => Math.abs(v - logits[i]!)))).toBeGreaterThan(1e-3);
  });

  test('evaluation/forgetting scores the LoRA-updated encoder: MLM loss after differs from before', async () => {
    const loader = await import('@tunekit/model-loader');
    const { dir } = await loraArtifact();
    const mlm = await loader.loadModel(TINY_BERT, { head: 'masked-lm', strict: false, seed: 0 });
    const base = await tempDir('tunekit-base-');
    await loader.saveModel(mlm, base);
    mlm.dispose();
    await copyFile(join(TINY_BERT, 'vocab.txt'), join(base, 'vocab.txt'));
    const corpus = await tempDir('tunekit-corpus-');
    await writeFile(join(corpus, 'validation.txt'), 'the patient had a disease of the heart\n\ncancer risk in families with the gene\n');
    await writeManifest(corpus, { kind: 'corpus', schemaVersion: 1, splits: { validation: { file: 'validation.txt', documents: 2 } } });
    const params = { split: 'validation', max_sequences: 8, max_length: 16, mask_probability: 0.3, batch_size: 8 };
    const ctx = await stageContext({ stageId: 'forgetting[strategy=lora]', params, inputs: { base: { dir: base, digest: 'b' }, model: { dir, digest: 'm' }, corpus: { dir: corpus, digest: 'c' } }, outputs: ['metrics'] });
    await forgetting.run(ctx);
    const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
    expect(Math.abs(metrics.forgetting.after - metrics.forgetting.before)).toBeGreaterThan(1e-4);
  });
});
