/** The body of `training/pretrain-embeddings` (heavy imports live here). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@tunekit/compute';
import { loadTokenizer, readCorpusArtifact } from '@tunekit/data-prep';
import { loadModel, saveModel } from '@tunekit/model-loader';
import { readManifest, writeManifest, type StageContext } from '@tunekit/pipeline';
import { SKIPGRAM_VERSION } from '@tunekit/native';
import { corpusIds } from './corpus-ids.ts';
import type { EmbeddingParams } from './params.ts';
import { trainSkipgram } from './skipgram.ts';
import { qualityCheck, rescaleRows, trainedIds } from './vectors.ts';

export const WORD_EMBEDDINGS = 'bert.embeddings.word_embeddings.weight';
const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

export async function runPretrainEmbeddings(ctx: StageContext<EmbeddingParams>): Promise<void> {
  const p = ctx.params;
  await selectBackend();
  const modelDir = ctx.inputs.model!.dir;
  const { splits } = await readCorpusArtifact(ctx.inputs.corpus!.dir);
  const documents = splits[p.train_split];
  if (!documents) throw new Error(`training/pretrain-embeddings: the corpus has no split "${p.train_split}" (has: ${Object.keys(splits).join(', ')})`);
  const loaded = await loadTokenizer(modelDir);
  const tokens = await corpusIds(documents, loaded, p.max_tokens);
  const specialIds = [...new Set([loaded.padId, loaded.unkId, loaded.clsId, loaded.sepId, ...SPECIAL_TOKENS.map((t) => loaded.tokenizer.tokenToId(t))])].filter((id): id is number => typeof id === 'number');

  const inputManifest = await readManifest(modelDir, 'model');
  const model = await loadModel(modelDir, { seed: ctx.seed });
  try {
    const dim = model.config.hidden_size;
    if (model.config.vocab_size < loaded.vocabSize) {
      throw new Error(`${modelDir}: config.json vocab_size ${model.config.vocab_size} is smaller than the tokenizer's ${loaded.vocabSize}`);
    }
    const range = (model.config as { initializer_range?: unknown }).initializer_range;
    const targetStd = p.target_std > 0 ? p.target_std : typeof range === 'number' ? range : 0.02;
    const breaks = tokens.filter((id) => id < 0).length;
    const corpusTokens = tokens.length - breaks;
    const usedDocuments = tokens.length > 0 ? breaks + 1 : 0;
    ctx.log.info(`pretrain-embeddings: ${corpusTokens} tokens in ${usedDocuments} of ${documents.length} documents, dim ${dim}, window ${p.window}, negative ${p.negative}, ${p.epochs} epochs`);

    const result = await trainSkipgram(
      tokens,
      loaded.vocabSize,
      { dim, window: p.window, negative: p.negative, epochs: p.epochs, alpha: p.learning_rate, sample: p.sample, minCount: p.min_count, excludeIds: specialIds, seed: ctx.seed },
      (done, total) => ctx.progress.update(done, total, { unit: 'token' }),
    );
    const tokensPerSecond = (p.epochs * corpusTokens) / result.seconds;
    ctx.log.info(`pretrain-embeddings: ${p.epochs} × ${corpusTokens} tokens in ${result.seconds.toFixed(1)} s (${Math.round(tokensPerSecond)} tokens/s, one thread)`);
    // Wall time and speed go to tracking only: the artifacts must be a function of the inputs.
    ctx.log.metrics({ train_seconds: result.seconds, tokens_per_s: tokensPerSecond });

    const ids = trainedIds(result.trained);
    const rows = rescaleRows(result.vectors, dim, ids, targetStd);
    const variable = model.params.get(WORD_EMBEDDINGS);
    if (!variable) throw new Error(`${modelDir}: the model has no ${WORD_EMBEDDINGS}`);
    const matrix = (variable.dataSync() as Float32Array).slice();
    ids.forEach((id, r) => matrix.set(rows.subarray(r * dim, (r + 1) * dim), id * dim));
    variable.assign(tf.tensor2d(matrix, variable.shape as [number, number]));

    const probes = p.probe_tokens.map((word) => ({ word, id: loaded.tokenizer.tokenToId(word) ?? undefined }));
    const quality = qualityCheck(rows, dim, ids, result.counts, probes, (id) => loaded.tokenizer.idToToken(id) ?? `#${id}`);
    ctx.log.info(`pretrain-embeddings: mean nearest-neighbour cosine ${quality.mean_nearest_cosine} (${quality.queries} most frequent ids), random pairs ${quality.mean_random_pair_cosine}`);
    for (const [word, list] of Object.entries(quality.neighbours)) ctx.log.info(`  ${word}: ${list.map((n) => `${n.token} ${n.cosine.toFixed(3)}`).join(', ')}`);
    if (quality.missing.length > 0) ctx.log.info(`  not a trained single token: ${quality.missing.join(', ')}`);
    ctx.log.metrics({ mean_nearest_cosine: quality.mean_nearest_cosine, mean_random_pair_cosine: quality.mean_random_pair_cosine, trained_ids: ids.length });

    const summary = {
      objective: 'skip-gram negative sampling (word2vec)',
      kernel: `@tunekit/native skipgram v${SKIPGRAM_VERSION}`,
      corpus_tokens: corpusTokens,
      documents: usedDocuments,
      train_words_per_epoch: result.trainWords,
      epochs: p.epochs,
      dim,
      window: p.window,
      negative: p.negative,
      learning_rate: p.learning_rate,
      sample: p.sample,
      min_count: p.min_count,
      vocab_size: loaded.vocabSize,
      trained_ids: ids.length,
      target_std: targetStd,
      seed: ctx.seed,
    };
    const out = ctx.outputs.model!.dir;
    const { files } = await saveModel(model, out, { tokenizerFrom: modelDir });
    await writeManifest(out, { ...inputManifest, kind: 'model', schemaVersion: 1, files, embedding_pretraining: summary });
    const metricsDir = ctx.outputs.metrics!.dir;
    await writeFile(join(metricsDir, 'metrics.json'), JSON.stringify({ ...summary, quality }, null, 2) + '\n');
    await writeManifest(metricsDir, { kind: 'metrics', schemaVersion: 1, files: ['metrics.json'] });
    ctx.log.artifact(join(metricsDir, 'metrics.json'));
  } finally {
    model.dispose();
  }
}
