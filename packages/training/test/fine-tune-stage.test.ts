import { beforeAll, describe, expect, test } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensors } from '@tunekit/model-loader';
import fineTune from '../src/stages/fine-tune.ts';
import { paramsForStrategy } from '../src/fine-tune/run.ts';
// The evaluation package's validator of the shared metrics.json shape.
import { validateMetricsFile } from '@tunekit/evaluation';
import type { FineTuneParams } from '../src/fine-tune/params.ts';
import { useCpu } from './helpers/backend.ts';
import { encodedArtifact, modelArtifact, outputsUnder } from './helpers/artifacts.ts';
import { stageContext, withDefaults } from './helpers/stage-context.ts';
import { tempDir } from './helpers/tiny.ts';

beforeAll(() => useCpu());

// workers: 1 (the single-process loop) unless a test says otherwise; the data-parallel tests pass workers: 2.
const params = (extra: Record<string, unknown> = {}) => withDefaults<FineTuneParams>(fineTune.params, { epochs: 2, batch_size: 8, learning_rate: 5e-3, checkpoint_steps: 4, workers: 1, ...extra });

async function runStage(model: string, extra: Record<string, unknown> = {}) {
  const root = await tempDir();
  const { ctx, log } = await stageContext(params(extra), { model, dataset: await encodedArtifact() }, outputsUnder(root), join(root, 'scratch'));
  await fineTune.run(ctx);
  return { out: ctx.outputs, log };
}

describe('training/fine-tune stage', () => {
  test.each([1, 2])('LoRA, %i worker(s): writes the HF model with id2label, the strategy record + weights, PEFT adapter files and metrics.json', async (workers) => {
    const { out, log } = await runStage(await modelArtifact({ name: 'lora', config: { r: 2 } }), { workers });
    const modelDir = out.model!.dir;
    expect((await readdir(modelDir)).sort()).toEqual(
      ['adapter_config.json', 'adapter_model.safetensors', 'config.json', 'manifest.json', 'model.safetensors', 'tunekit_strategy.json', 'tunekit_strategy.safetensors'].sort(),
    );
    const config = JSON.parse(await readFile(join(modelDir, 'config.json'), 'utf8'));
    expect(config.id2label).toEqual({ 0: 'O', 1: 'B-Disease', 2: 'I-Disease' });
    expect(config.architectures).toEqual(['BertForTokenClassification']);
    expect(JSON.parse(await readFile(join(modelDir, 'adapter_config.json'), 'utf8'))).toMatchObject({ base_model_name_or_path: 'test:tiny', task_type: 'TOKEN_CLS', r: 2 });
    const weights = await readSafetensors(join(modelDir, 'model.safetensors'));
    expect(weights.tensors.some((t) => t.name.includes('lora'))).toBe(false);
    const metrics = JSON.parse(await readFile(join(out.metrics!.dir, 'metrics.json'), 'utf8'));
    expect(validateMetricsFile(metrics, 'metrics.json')).toBe(metrics);
    expect(metrics).toMatchObject({ schemaVersion: 1, kind: 'fine-tune', name: 'lora', strategy: 'lora', task: 'token-classification', split: 'validation' });
    expect(metrics.history.map((h: { step: number }) => h.step)).toEqual([6, 12]);
    expect(Object.keys(metrics.history[0]).sort()).toEqual(['epoch', 'step', 'train_loss', 'val_accuracy', 'val_f1', 'val_loss']);
    expect(Object.keys(metrics.metrics).sort()).toEqual(
      ['best_step', 'f1', 'loss', 'precision', 'recall', 'steps', 'token_accuracy', 'total_params', 'trainable_params', 'trainable_percent'].sort(),
    );
    const best = metrics.history.find((h: { step: number }) => h.step === metrics.metrics.best_step);
    expect(metrics.metrics.f1).toBe(best.val_f1);
    expect(log.metrics.some((m) => m.step === 6 && 'eval_f1' in m.values)).toBe(true);
    expect(log.metrics.filter((m) => 'grad_norm' in m.values)).toHaveLength(12);
    expect(log.progress.at(-1)).toMatch(/^12\/12 unit step loss \d+\.\d+ tokensPerSecond \d+(\.\d+)?$/);
  });

  test.each([1, 2])('%i worker(s): metrics.json is a function of the inputs: two runs write identical bytes; wall time and speed go to tracking only', async (workers) => {
    const model = await modelArtifact();
    const a = await runStage(model, { epochs: 1, workers });
    const b = await runStage(model, { epochs: 1, workers });
    const text = (o: typeof a) => readFile(join(o.out.metrics!.dir, 'metrics.json'), 'utf8');
    expect(await text(b)).toBe(await text(a));
    expect(a.log.metrics.some((m) => m.values.train_seconds! > 0 && m.values.tokens_per_s! > 0)).toBe(true);
  });

  test('without a strategy in the input model it fine-tunes fully (all but the pooler a token classifier never reads)', async () => {
    const { out } = await runStage(await modelArtifact(), { epochs: 1 });
    const metrics = JSON.parse(await readFile(join(out.metrics!.dir, 'metrics.json'), 'utf8'));
    expect(metrics.strategy).toBe('full');
    // The base checkpoint (BertModel) has a 16×16 + 16 pooler.
    expect(metrics.metrics.total_params - metrics.metrics.trainable_params).toBe(272);
  });

  test('a missing validation split is a clear error', async () => {
    const root = await tempDir();
    const { ctx } = await stageContext(params({ validation_split: 'dev' }), { model: await modelArtifact(), dataset: await encodedArtifact() }, outputsUnder(root), join(root, 'scratch'));
    await expect(fineTune.run(ctx)).rejects.toThrow('training/fine-tune: the dataset has no split "dev" for evaluation (has: train, validation)');
  });

  test('overrides_by_strategy: the entry of the input model\'s strategy replaces those params', async () => {
    const { out } = await runStage(await modelArtifact({ name: 'lora', config: { r: 2 } }), { overrides_by_strategy: { lora: { epochs: 1 }, full: { epochs: 5 } } });
    const metrics = JSON.parse(await readFile(join(out.metrics!.dir, 'metrics.json'), 'utf8'));
    expect(metrics.history.map((h: { step: number }) => h.step)).toEqual([6]);
  });

  test('an invalid override is reported with its strategy', () => {
    expect(() => paramsForStrategy(params({ overrides_by_strategy: { lora: { learning_rate: 'high' } } }), 'lora')).toThrow(
      'training/fine-tune overrides_by_strategy.lora: invalid config: /learning_rate must be number',
    );
  });

  test.each([
    ['lora', 1, { r: 2, target_modules: 'all-linear' }],
    ['adapter', 1, { bottleneck_size: 4 }],
    ['partial', 1, { train_last_n_layers: 1 }],
    ['lora', 2, { r: 2, target_modules: 'all-linear' }],
    ['adapter', 2, { bottleneck_size: 4 }],
    ['partial', 2, { train_last_n_layers: 1 }],
  ])('%s, %i worker(s): every frozen base tensor in the output model.safetensors is byte-identical to the input', async (name, workers, config) => {
    const input = await modelArtifact({ name, config });
    const { out } = await runStage(input, { epochs: 1, workers });
    const before = new Map((await readSafetensors(join(input, 'model.safetensors'))).tensors.map((t) => [t.name, Buffer.from(t.bytes)]));
    const after = (await readSafetensors(join(out.model!.dir, 'model.safetensors'))).tensors;
    let same = 0;
    let changed = 0;
    for (const t of after) {
      const old = before.get(t.name);
      if (!old) continue; // the new classifier
      if (Buffer.from(t.bytes).equals(old)) same++;
      else changed++;
    }
    const trainableBase = name === 'partial' ? 16 : 0; // partial trains layer 1's 16 tensors
    expect(changed).toBe(trainableBase);
    expect(same).toBe(before.size - trainableBase);
  });
});
