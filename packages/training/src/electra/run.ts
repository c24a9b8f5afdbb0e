/** The body of `training/pretrain-electra` (heavy imports live here). */
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
import { readPretrainingCorpus } from '../mlm/corpus-rows.ts';
import { heldOutMaskedBatches } from '../mlm/task.ts';
import { dataParallelSteps } from '../parallel/steps.ts';
import { DISCRIMINATOR_LABELS, loadElectraModel } from './model.ts';
import type { ElectraParams } from './params.ts';
import { electraTask } from './task.ts';
import { unigramCounts, unigramCrossEntropy } from './unigram.ts';

/** The same held-out masks as pretrain-mlm's (its seed), so that the two stages' generator losses compare. */
const EVAL_SEED_STREAM = 0xe7a1;

export async function runPretrainElectra(ctx: StageContext<ElectraParams>): Promise<void> {
  const p = ctx.params;
  const backend = await selectBackend();
  const modelDir = ctx.inputs.model!.dir;
  const { loaded, train, validation, masking } = await readPretrainingCorpus('training/pretrain-electra', ctx.inputs.corpus!.dir, modelDir, p, (m) => ctx.log.info(m));
  const inputManifest = await readManifest(modelDir, 'model');
  const workers = p.workers ?? defaultWorkerCount();
  const generatorOptions = { size: p.generator_size, layers: p.generator_layers };
  const model = await loadElectraModel(modelDir, ctx.seed, generatorOptions, (m) => {
    if (m.config.vocab_size < loaded.vocabSize) {
      throw new Error(`${modelDir}: config.json vocab_size ${m.config.vocab_size} is smaller than the tokenizer's ${loaded.vocabSize}`);
    }
  });
  try {
    const g = model.generator.config;
    ctx.log.info(`generator: ${g.num_hidden_layers} layers, hidden ${g.hidden_size}, ${g.num_attention_heads} heads, FFN ${g.intermediate_size}; embeddings shared with the discriminator (width ${model.config.hidden_size})`);
    const counts = countParams(model);
    ctx.log.metrics({ trainable_params: counts.trainable, total_params: counts.total });
    const evalSeed = deriveSeed(ctx.seed, EVAL_SEED_STREAM);
    const unigram = validation
      ? unigramCrossEntropy(unigramCounts(train, loaded.vocabSize, masking.specialIds), heldOutMaskedBatches(validation, masking, evalSeed, p.eval_batch_size).map((b) => b.host))
      : null;
    if (unigram !== null) ctx.log.info(`unigram baseline on the held-out masked positions: ${unigram.toFixed(4)}`);
    const options = { ...loopOptionsFromParams(p, ctx.seed, 'eval_loss', 'min'), name: ctx.stageId };
    const hash = configHash({ params: p, seed: ctx.seed, model: ctx.inputs.model!.digest, corpus: ctx.inputs.corpus!.digest, backend: backend.backend, workers, objective: 'electra' });
    const task = electraTask(model, train, validation, masking, evalSeed, p.eval_batch_size, p.discriminator_weight);
    const engine =
      workers > 1
        ? await dataParallelSteps(model, task, options, { workers, model: { kind: 'electra', dir: modelDir, seed: ctx.seed, generator: generatorOptions, discriminatorWeight: p.discriminator_weight } })
        : undefined;
    ctx.log.info(`training on ${engine?.description ?? 'one process (workers: 1)'}`);
    const result = await trainLoop(model, task, options, ctx.scratchDir, hash, stageLoopHooks(ctx), engine).finally(() => engine?.close());
    ctx.log.metrics({ train_seconds: result.seconds, tokens_per_s: result.tokensPerSecond });
    if (result.resumedFromStep !== null) ctx.log.tag('tunekit.resumed_from_step', String(result.resumedFromStep));

    const { history, early } = result.state;
    // The evaluation of the weights written: the best one with keep_best, else the last.
    const best = (p.keep_best ? history.find((h) => h.step === early.bestStep) : undefined) ?? history.at(-1);
    const held = (key: string) => (best && Number.isFinite(best[key]) ? best[key]! : null);
    const heldOut = {
      generator_mlm_loss: held('eval_generator_loss'),
      unigram_baseline_loss: unigram,
      discriminator_loss: held('eval_discriminator_loss'),
      replaced_accuracy: held('eval_replaced_accuracy'),
      replaced_auc: held('eval_replaced_auc'),
      replaced_fraction: held('eval_replaced_fraction'),
    };
    const out = ctx.outputs.model!.dir;
    const { files } = await saveModel(model.discriminator, out, { tokenizerFrom: modelDir });
    const pretraining = { objective: 'electra', steps: result.state.step, best_step: early.bestStep, block_size: p.block_size, held_out: heldOut };
    await writeManifest(out, {
      ...inputManifest,
      kind: 'model',
      schemaVersion: 1,
      architecture: 'BertForTokenClassification',
      head: 'token-classification',
      labels: DISCRIMINATOR_LABELS,
      files,
      pretraining,
    });
    const generatorDir = ctx.outputs.generator!.dir;
    const generatorFiles = await saveModel(model.generator, generatorDir, { tokenizerFrom: modelDir });
    await writeManifest(generatorDir, { kind: 'model', schemaVersion: 1, format: 'huggingface', architecture: 'BertForMaskedLM', head: 'masked-lm', files: generatorFiles.files, pretraining });

    const last = history.at(-1);
    const summary = {
      task: 'electra',
      block_size: p.block_size,
      train_blocks: train.numRows,
      validation_blocks: validation?.numRows ?? 0,
      steps: result.state.step,
      best_step: early.bestStep,
      held_out_loss: best?.eval_loss ?? null,
      held_out_generator_mlm_loss: heldOut.generator_mlm_loss,
      unigram_baseline_loss: unigram,
      held_out: heldOut,
      generator: { hidden_size: g.hidden_size, num_hidden_layers: g.num_hidden_layers, num_attention_heads: g.num_attention_heads, intermediate_size: g.intermediate_size },
      discriminator_weight: p.discriminator_weight,
      final_train_loss: last?.train_loss ?? null,
      backend: backend.backend,
      history,
    };
    const metricsDir = ctx.outputs.metrics!.dir;
    await writeFile(join(metricsDir, 'metrics.json'), JSON.stringify(summary, null, 2) + '\n');
    await writeManifest(metricsDir, { kind: 'metrics', schemaVersion: 1, files: ['metrics.json'] });
    ctx.log.artifact(join(metricsDir, 'metrics.json'));
  } finally {
    model.dispose();
  }
}
