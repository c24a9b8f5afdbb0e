/** The body of `training/pretrain-mlm` (heavy imports live here). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultWorkerCount, selectBackend } from '@tunekit/compute';
import { loadTokenizer, readCorpusArtifact } from '@tunekit/data-prep';
import { saveModel } from '@tunekit/model-loader';
import { readManifest, writeManifest, type StageContext } from '@tunekit/pipeline';
import { countParams } from '@tunekit/strategies';
import { deriveSeed } from '@tunekit/pipeline/sdk';
import { configHash } from '../loop/config-hash.ts';
import { loopOptionsFromParams } from '../loop/to-options.ts';
import { trainLoop } from '../loop/train-loop.ts';
import { dataParallelSteps } from '../parallel/steps.ts';
import { loadMlmModel } from './model.ts';
import { corpusBlocks } from './blocks.ts';
import type { PretrainParams } from './params.ts';
import { mlmTask } from './task.ts';

export async function runPretrainMlm(ctx: StageContext<PretrainParams>): Promise<void> {
  const p = ctx.params;
  const backend = await selectBackend();
  const modelDir = ctx.inputs.model!.dir;
  const { splits: corpus } = await readCorpusArtifact(ctx.inputs.corpus!.dir);
  const trainDocs = corpus[p.train_split];
  if (!trainDocs) throw new Error(`training/pretrain-mlm: the corpus has no split "${p.train_split}" (has: ${Object.keys(corpus).join(', ')})`);
  const validationDocs = p.evaluation === 'no' ? undefined : corpus[p.validation_split];
  if (p.evaluation !== 'no' && !validationDocs) {
    throw new Error(`training/pretrain-mlm: the corpus has no split "${p.validation_split}" for the held-out loss (has: ${Object.keys(corpus).join(', ')}); set evaluation: no or validation_split`);
  }
  const loaded = await loadTokenizer(modelDir);
  const maskId = loaded.tokenizer.tokenToId('[MASK]');
  if (maskId === null || maskId === undefined) throw new Error(`${modelDir}: the tokenizer has no [MASK] token`);
  const train = await corpusBlocks(trainDocs, loaded, p.block_size, p.max_train_blocks > 0 ? p.max_train_blocks : Infinity);
  const validation = validationDocs ? await corpusBlocks(validationDocs, loaded, p.block_size, p.max_validation_blocks > 0 ? p.max_validation_blocks : Infinity) : undefined;
  ctx.log.info(`pretrain-mlm: ${train.numRows} training blocks, ${validation?.numRows ?? 0} held-out blocks of ${p.block_size} tokens`);

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
    const masking = { probability: p.mlm_probability, maskId, vocabSize: loaded.vocabSize, specialIds: [loaded.clsId, loaded.sepId, loaded.padId] };
    const options = { ...loopOptionsFromParams(p, ctx.seed, 'eval_loss', 'min'), name: ctx.stageId };
    const hash = configHash({ params: p, seed: ctx.seed, model: ctx.inputs.model!.digest, corpus: ctx.inputs.corpus!.digest, backend: backend.backend, workers });
    const task = mlmTask(model, train, validation, masking, deriveSeed(ctx.seed, 0xe7a1), p.eval_batch_size);
    // workers: 1 trains in this process (the loop as before); more: data-parallel replicas in worker threads.
    const engine = workers > 1 ? await dataParallelSteps(model, task, options, { workers, model: { kind: 'masked-lm', dir: modelDir, seed: ctx.seed } }) : undefined;
    ctx.log.info(`training on ${engine?.description ?? 'one process (workers: 1)'}`);
    const result = await trainLoop(model, task, options, ctx.scratchDir, hash, {
      info: (m) => ctx.log.info(m),
      onStepMetrics: (step, metrics) => ctx.log.metrics(metrics, step),
      onEvaluation: (record) => {
        const { step, epoch: _epoch, ...values } = record;
        ctx.log.metrics(Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v))), step);
        ctx.log.info(`step ${step}: ${Object.entries(values).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ')}`);
      },
      onProgress: (step, total, detail) => ctx.progress.update(step, total, { unit: 'step', ...detail }),
    }, engine).finally(() => engine?.close());
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
