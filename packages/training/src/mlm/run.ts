/** The body of `training/pretrain-mlm` (heavy imports live here). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultWorkerCount, selectBackend } from '@tunekit/compute';
import { saveModel } from '@tunekit/model-loader';
import { readManifest, writeManifest, type StageContext } from '@tunekit/pipeline';
import { countParams } from '@tunekit/strategies';
import { deriveSeed } from '@tunekit/pipeline/sdk';
import { configHash } from '../loop/config-hash.ts';
import { stageLoopHooks } from '../loop/stage-hooks.ts';
import { loopOptionsFromParams } from '../loop/to-options.ts';
import { trainLoop } from '../loop/train-loop.ts';
import { dataParallelSteps } from '../parallel/steps.ts';
import { loadMlmModel } from './model.ts';
import { readPretrainingCorpus } from './corpus-rows.ts';
import type { PretrainParams } from './params.ts';
import { mlmTask } from './task.ts';

export async function runPretrainMlm(ctx: StageContext<PretrainParams>): Promise<void> {
  const p = ctx.params;
  const backend = await selectBackend();
  const modelDir = ctx.inputs.model!.dir;
  const { loaded, train, validation, masking } = await readPretrainingCorpus('training/pretrain-mlm', ctx.inputs.corpus!.dir, modelDir, p, (m) => ctx.log.info(m));

  const inputManifest = await readManifest(modelDir, 'model');
  const workers = p.workers ?? defaultWorkerCount();
  const model = await loadMlmModel(modelDir, ctx.seed, (m) => ctx.log.info(m), (m) => {
    if (m.config.vocab_size < loaded.vocabSize) {
      throw new Error(`${modelDir}: config.json vocab_size ${m.config.vocab_size} is smaller than the tokenizer's ${loaded.vocabSize}`);
    }
  });
  try {
    const counts = countParams(model);
    ctx.log.metrics({ trainable_params: counts.trainable, total_params: counts.total });
    const options = { ...loopOptionsFromParams(p, ctx.seed, 'eval_loss', 'min'), name: ctx.stageId };
    const hash = configHash({ params: p, seed: ctx.seed, model: ctx.inputs.model!.digest, corpus: ctx.inputs.corpus!.digest, backend: backend.backend, workers });
    const task = mlmTask(model, train, validation, masking, deriveSeed(ctx.seed, 0xe7a1), p.eval_batch_size);
    // workers: 1 trains in this process (the loop as before); more: data-parallel replicas in worker threads.
    const engine = workers > 1 ? await dataParallelSteps(model, task, options, { workers, model: { kind: 'masked-lm', dir: modelDir, seed: ctx.seed } }) : undefined;
    ctx.log.info(`training on ${engine?.description ?? 'one process (workers: 1)'}`);
    const result = await trainLoop(model, task, options, ctx.scratchDir, hash, stageLoopHooks(ctx), engine).finally(() => engine?.close());
    // Wall time, speed and resumption go to tracking only: the artifacts must be a function of the inputs.
    ctx.log.metrics({ train_seconds: result.seconds, tokens_per_s: result.tokensPerSecond });
    if (result.resumedFromStep !== null) ctx.log.tag('tunekit.resumed_from_step', String(result.resumedFromStep));
    const out = ctx.outputs.model!.dir;
    const { files } = await saveModel(model, out, { tokenizerFrom: modelDir });
    const last = result.state.history.at(-1);
    const summary = {
      task: 'masked-lm',
      block_size: p.block_size,
      train_blocks: train.numRows,
      validation_blocks: validation?.numRows ?? 0,
      steps: result.state.step,
      best_step: result.state.early.bestStep,
      held_out_mlm_loss: result.state.early.bestValue ?? last?.eval_loss ?? null,
      final_train_loss: last?.train_loss ?? null,
      backend: backend.backend,
      history: result.state.history,
    };
    await writeManifest(out, { ...inputManifest, kind: 'model', schemaVersion: 1, files, pretraining: { steps: summary.steps, held_out_mlm_loss: summary.held_out_mlm_loss, block_size: p.block_size } });
    const metricsDir = ctx.outputs.metrics!.dir;
    await writeFile(join(metricsDir, 'metrics.json'), JSON.stringify(summary, null, 2) + '\n');
    await writeManifest(metricsDir, { kind: 'metrics', schemaVersion: 1, files: ['metrics.json'] });
    ctx.log.artifact(join(metricsDir, 'metrics.json'));
  } finally {
    model.dispose();
  }
}
