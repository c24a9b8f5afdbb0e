/** The body of `training/fine-tune` (heavy imports live here, loaded inside `run`). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultWorkerCount, selectBackend } from '@tunekit/compute';
import { loadEncodedDataset } from '@tunekit/data-prep';
import { saveModel } from '@tunekit/model-loader';
import { readManifest, writeManifest, type StageContext } from '@tunekit/pipeline';
import { countParams, readStrategyState, validateConfig, writeStrategyState } from '@tunekit/strategies';
import { configHash } from '../loop/config-hash.ts';
import { loopOptionsFromParams } from '../loop/to-options.ts';
import { trainLoop } from '../loop/train-loop.ts';
import { dataParallelSteps } from '../parallel/steps.ts';
import { loadFineTuneModel } from './model.ts';
import { fineTuneMetricsFile } from './metrics-file.ts';
import { classificationTask } from './task.ts';
import { fineTuneParamsSchema, type FineTuneParams } from './params.ts';

export const METRICS_FILE = 'metrics.json';

/** The params with the input strategy's `overrides_by_strategy` entry merged in and re-validated. */
export function paramsForStrategy(params: FineTuneParams, strategy: string): FineTuneParams {
  const overrides = params.overrides_by_strategy[strategy];
  if (!overrides) return params;
  return validateConfig<FineTuneParams>(fineTuneParamsSchema, { ...params, ...overrides }, `training/fine-tune overrides_by_strategy.${strategy}`);
}

export async function runFineTune(ctx: StageContext<FineTuneParams>): Promise<void> {
  const p = paramsForStrategy(ctx.params, (await readStrategyState(ctx.inputs.model!.dir))?.name ?? 'full');
  const backend = await selectBackend();
  const modelDir = ctx.inputs.model!.dir;
  const dataset = await loadEncodedDataset(ctx.inputs.dataset!.dir);
  const train = dataset.splits[p.train_split];
  if (!train) throw new Error(`training/fine-tune: the dataset has no split "${p.train_split}" (has: ${Object.keys(dataset.splits).join(', ')})`);
  const validation = p.evaluation === 'no' ? undefined : dataset.splits[p.validation_split];
  if (p.evaluation !== 'no' && !validation) {
    throw new Error(`training/fine-tune: the dataset has no split "${p.validation_split}" for evaluation (has: ${Object.keys(dataset.splits).join(', ')}); set evaluation: no or validation_split`);
  }
  const inputManifest = await readManifest(modelDir, 'model');
  const workers = p.workers ?? defaultWorkerCount();
  const log = (m: string) => ctx.log.info(m);
  const { model, applied } = await loadFineTuneModel(modelDir, dataset.task, dataset.labels, ctx.seed, log);
  try {
    const counts = countParams(model);
    ctx.log.metrics({ trainable_params: counts.trainable, total_params: counts.total, trainable_percent: counts.trainablePercent });

    const options = { ...loopOptionsFromParams(p, ctx.seed, p.metric, p.metric_mode), name: ctx.stageId };
    const hash = configHash({ params: p, seed: ctx.seed, model: ctx.inputs.model!.digest, dataset: ctx.inputs.dataset!.digest, backend: backend.backend, workers });
    const task = classificationTask(dataset, train, validation, p.eval_batch_size, p.decoding);
    // workers: 1 trains in this process (the loop as before); more: data-parallel replicas in worker threads.
    const engine = workers > 1 ? await dataParallelSteps(model, task, options, { workers, model: { kind: 'classification', dir: modelDir, task: dataset.task, labels: dataset.labels, seed: ctx.seed } }) : undefined;
    log(`training on ${engine?.description ?? 'one process (workers: 1)'}`);
    const result = await trainLoop(model, task, options, ctx.scratchDir, hash, {
      info: log,
      onStepMetrics: (step, metrics) => ctx.log.metrics(metrics, step),
      onEvaluation: (record) => {
        const { step, epoch: _epoch, ...values } = record;
        ctx.log.metrics(Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v))), step);
        log(`step ${step}: ${Object.entries(values).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ')}`);
      },
      onProgress: (step, total, detail) => ctx.progress.update(step, total, { unit: 'step', ...detail }),
    }, engine).finally(() => engine?.close());

    // Wall time and speed go to tracking only: the metrics artifact must be a function of the
    // inputs alone, so that `tunekit rerun` finds it bit-identical.
    ctx.log.metrics({ train_seconds: result.seconds, tokens_per_s: result.tokensPerSecond });
    if (result.resumedFromStep !== null) ctx.log.tag('tunekit.resumed_from_step', String(result.resumedFromStep));
    const out = ctx.outputs.model!.dir;
    await saveModel(model, out, { tokenizerFrom: modelDir });
    await writeStrategyState(out, model, applied, (await readStrategyState(modelDir))?.seed ?? ctx.seed);
    // PEFT's base_model_name_or_path: the base model's source (e.g. builtin:biomed-bert-mini), else the
    // input artifact's digest — never a store path, which would make the artifact depend on where the store lives.
    const baseName = typeof inputManifest.source === 'string' ? inputManifest.source : `tunekit-artifact:${ctx.inputs.model!.digest}`;
    await applied.exportFiles?.(out, { baseModelNameOrPath: baseName });
    const best = result.state.early.bestStep;
    const strategySummary = { name: applied.name, config: applied.config, trainable_params: counts.trainable, total_params: counts.total, trainable_percent: counts.trainablePercent };
    const metricsFile = fineTuneMetricsFile({
      task: dataset.task,
      labels: dataset.labels,
      strategy: { name: applied.name, config: applied.config, trainable: counts.trainable, total: counts.total, percent: counts.trainablePercent },
      metric: p.metric,
      split: p.validation_split,
      backend: backend.backend,
      result,
    });
    await writeManifest(out, {
      ...inputManifest,
      kind: 'model',
      schemaVersion: 1,
      head: dataset.task,
      labels: dataset.labels,
      strategy: strategySummary,
      trained: { steps: result.state.step, best_step: best, metric: p.metric, best_value: result.state.early.bestValue },
    });
    const metricsDir = ctx.outputs.metrics!.dir;
    await writeFile(join(metricsDir, METRICS_FILE), JSON.stringify(metricsFile, null, 2) + '\n');
    await writeManifest(metricsDir, { kind: 'metrics', schemaVersion: 1, files: [METRICS_FILE] });
    ctx.log.artifact(join(metricsDir, METRICS_FILE));
  } finally {
    model.dispose();
  }
}
