/**
 * training/export: choose the model with the best validation metric among matrix cells (paired by
 * coordinates) and write it as a plain HF folder (LoRA merged, PEFT files kept), on tiny models.
 */
import { describe, expect, test } from '@jest/globals';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadModel } from '@tunekit/model-loader';
import { writeManifest, type StageContext } from '@tunekit/pipeline';
import { loadModelWithStrategy } from '@tunekit/strategies';
import { selectBest } from '../src/export/select-best.ts';
import { runExport, type ExportParams } from '../src/export/run.ts';
import { useCpu } from './helpers/backend.ts';
import { modelArtifact } from './helpers/artifacts.ts';
import { tempDir } from './helpers/tiny.ts';

const exists = (p: string) => access(p).then(() => true, () => false);

async function metricsArtifact(f1: number, split = 'validation'): Promise<string> {
  const dir = await tempDir('tunekit-metrics-');
  await writeFile(join(dir, 'metrics.json'), JSON.stringify({ schemaVersion: 1, kind: 'fine-tune', name: 'x', task: 'token-classification', split, metrics: { f1 } }));
  await writeManifest(dir, { kind: 'metrics', schemaVersion: 1 });
  return dir;
}

/** A LoRA model whose B matrices are non-zero (as after training), so merging changes the weights. */
async function trainedLora(): Promise<string> {
  const dir = await modelArtifact({ name: 'lora', config: { r: 2, alpha: 4, target_modules: ['query', 'value'] } });
  const { model, strategy } = await loadModelWithStrategy(dir);
  for (const name of strategy!.addedParams.filter((n) => n.includes('lora_B'))) {
    const v = model.params.get(name)!;
    v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', 3));
  }
  const { writeStrategyState } = await import('@tunekit/strategies');
  await writeStrategyState(dir, model, strategy!, 42);
  await strategy!.exportFiles!(dir, { baseModelNameOrPath: 'test:tiny' });
  model.dispose();
  return dir;
}

function hidden(model: { forward: (i: never) => { lastHiddenState: tf.Tensor } }): Float32Array {
  return tf.tidy(() => model.forward({ inputIds: tf.tensor2d([[2, 5, 6, 7, 3]], [1, 5], 'int32') } as never).lastHiddenState.dataSync() as Float32Array);
}

async function context(models: Array<{ stageId: string; coords: Record<string, string>; dir: string }>, metrics: Array<{ stageId: string; coords: Record<string, string>; dir: string }>, params: Partial<ExportParams> = {}) {
  const out = join(await tempDir('tunekit-export-'), 'model');
  await mkdir(out);
  const info: string[] = [];
  const ctx = {
    stageId: 'export',
    params: { metric: 'f1', mode: 'max', split: 'validation', ...params },
    inputs: {
      models: { dir: '/c', digest: 'c', items: models.map((m) => ({ ...m, digest: m.dir })) },
      metrics: { dir: '/m', digest: 'm', items: metrics.map((m) => ({ ...m, digest: m.dir })) },
    },
    outputs: { model: { dir: out } },
    seed: 42,
    log: { info: (m: string) => info.push(m), warn: () => {}, metric: () => {}, metrics: () => {}, tag: () => {}, artifact: () => {} },
  } as unknown as StageContext<ExportParams>;
  return { ctx, out, info };
}

describe('selectBest', () => {
  const c = (stageId: string, value: number) => ({ stageId, coords: {}, value });
  test('max picks the largest value; a tie goes to the first cell', () => {
    expect(selectBest([c('a', 0.5), c('b', 0.7), c('c', 0.7)], 'max').best.stageId).toBe('b');
  });
  test('min picks the smallest value', () => {
    expect(selectBest([c('a', 0.5), c('b', 0.2)], 'min').best.stageId).toBe('b');
  });
  test('a NaN value is an error naming the cell', () => {
    expect(() => selectBest([c('a', 0.5), c('b', Number.NaN)], 'max')).toThrow('select-best: b has a non-finite metric value (NaN)');
  });
});

describe('training/export', () => {
  test('LoRA wins on validation F1: merged weights in model.safetensors, PEFT files kept, no strategy files', async () => {
    await useCpu();
    const full = await modelArtifact({ name: 'full', config: {} });
    const lora = await trainedLora();
    const cells = [
      { stageId: 'calibrate[strategy=full]', coords: { strategy: 'full' }, dir: full },
      { stageId: 'calibrate[strategy=lora]', coords: { strategy: 'lora' }, dir: lora },
    ];
    const metrics = [
      // deliberately in another order: pairing is by coordinates, not position
      { stageId: 'validate[strategy=lora]', coords: { strategy: 'lora' }, dir: await metricsArtifact(0.61) },
      { stageId: 'validate[strategy=full]', coords: { strategy: 'full' }, dir: await metricsArtifact(0.55) },
    ];
    const { ctx, out } = await context(cells, metrics);
    await runExport(ctx);
    const selection = JSON.parse(await readFile(join(out, 'tunekit_selection.json'), 'utf8'));
    expect([selection.selected, selection.value, selection.weights]).toEqual(['calibrate[strategy=lora]', 0.61, 'merged']);
    expect(selection.candidates.map((x: { value: number }) => x.value)).toEqual([0.55, 0.61]);
    expect(await exists(join(out, 'adapter_config.json'))).toBe(true);
    expect(await exists(join(out, 'adapter_model.safetensors'))).toBe(true);
    expect(await exists(join(out, 'tunekit_strategy.json'))).toBe(false);
    // the exported folder alone (no strategy re-applied) computes what the LoRA model computes
    const plain = await loadModel(out);
    const { model: withLora } = await loadModelWithStrategy(lora);
    const a = hidden(plain as never);
    const b = hidden(withLora as never);
    plain.dispose();
    withLora.dispose();
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-5);
  });

  test('metrics on another split than the selection split are refused', async () => {
    await useCpu();
    const full = await modelArtifact();
    const { ctx } = await context(
      [{ stageId: 'train[strategy=full]', coords: { strategy: 'full' }, dir: full }],
      [{ stageId: 'evaluate[strategy=full]', coords: { strategy: 'full' }, dir: await metricsArtifact(0.9, 'test') }],
    );
    await expect(runExport(ctx)).rejects.toThrow('training/export: evaluate[strategy=full]: metrics are on split "test", expected "validation"');
  });

  test('a model without metrics of the same cell is an error listing the metrics cells', async () => {
    await useCpu();
    const full = await modelArtifact();
    const { ctx } = await context(
      [{ stageId: 'train[strategy=full]', coords: { strategy: 'full' }, dir: full }],
      [{ stageId: 'validate[strategy=lora]', coords: { strategy: 'lora' }, dir: await metricsArtifact(0.9) }],
    );
    await expect(runExport(ctx)).rejects.toThrow('training/export: no metrics for train[strategy=full] (coordinates {"strategy":"full"}); metrics cells: validate[strategy=lora]');
  });
});
