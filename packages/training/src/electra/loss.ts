/**
 * ELECTRA's loss on one batch (Clark et al. 2020, eq. 1): the generator's masked-LM cross-entropy at
 * the masked positions, plus λ × the discriminator's binary cross-entropy of "replaced vs original"
 * over every non-padding token of the corrupted input (the masked positions filled with samples of
 * the generator; a sample equal to the original counts as original). The samples are drawn on the
 * host from the generator's logits (`sampling.ts`): no gradient flows through them. The
 * discriminator's head is a two-label token classifier, so its softmax cross-entropy is exactly the
 * binary cross-entropy of the logit difference.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@tunekit/pipeline/sdk';
import type { Batch } from '../data/batch.ts';
import { maskedCrossEntropy } from '../loop/loss.ts';
import type { ElectraModel } from './model.ts';
import { noiseUniform, replaceTokens, sampleFromLogits, type ReplacedTokens } from './sampling.ts';

export interface ElectraLossOptions {
  training: boolean;
  /** Dropout seed (generator: this seed, discriminator: derived from it). */
  seed?: number;
  /** λ of the discriminator's loss (the paper: 50). */
  discriminatorWeight: number;
  /** A data-parallel shard: sums ÷ the whole micro-batch's masked positions and non-pad tokens. */
  denominators?: { masked: number; tokens: number };
}

export interface ElectraParts {
  generatorLoss: tf.Scalar;
  discriminatorLoss: tf.Scalar;
  total: tf.Scalar;
  /** [B, L, 2]: original / replaced. */
  discriminatorLogits: tf.Tensor;
  replaced: ReplacedTokens;
}

export function electraForward(model: ElectraModel, batch: Batch, options: ElectraLossOptions): ElectraParts {
  const { predictPositions: positions, sampleNoise: noise, labels } = batch;
  if (!positions || !noise || !labels) throw new Error('pretrain-electra: the batch has no masked positions, labels or sampling noise (prepare it with the ELECTRA task)');
  const { training, seed } = options;
  model.generatorDecoder.set(positions);
  let generatorLogits: tf.Tensor;
  try {
    const out = model.generator.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds }, { training, seed });
    generatorLogits = out.logits!;
  } finally {
    model.generatorDecoder.set(undefined);
  }
  const maskedLabels = tf.gather(tf.reshape(labels, [-1]), positions);
  const generatorLoss = maskedCrossEntropy(generatorLogits, maskedLabels, options.denominators?.masked);

  const flat = positions.dataSync() as Int32Array;
  const classes = generatorLogits.shape[generatorLogits.shape.length - 1]!;
  const samples = sampleFromLogits(generatorLogits.dataSync() as Float32Array, classes, Float64Array.from(flat, (f) => noiseUniform(noise[f]!)));
  const attentionMask = batch.attentionMask.dataSync() as Int32Array;
  const replaced = replaceTokens(batch.inputIds.dataSync() as Int32Array, labels.dataSync() as Int32Array, attentionMask, flat, samples);

  const shape = batch.inputIds.shape;
  const discriminatorLogits = model.discriminator.forward(
    { inputIds: tf.tensor2d(replaced.inputIds, shape, 'int32'), attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds },
    { training, seed: seed === undefined ? undefined : deriveSeed(seed, 0xd15c) },
  ).logits!;
  const discriminatorLoss = maskedCrossEntropy(discriminatorLogits, tf.tensor2d(replaced.labels, shape, 'int32'), options.denominators?.tokens);
  const total = tf.add(generatorLoss, tf.mul(discriminatorLoss, options.discriminatorWeight)) as tf.Scalar;
  return { generatorLoss, discriminatorLoss, total, discriminatorLogits, replaced };
}

/** The loss the loop differentiates (inside its gradient tape, which disposes the intermediates). */
export function electraBatchLoss(model: ElectraModel, batch: Batch, options: ElectraLossOptions): tf.Scalar {
  return electraForward(model, batch, options).total;
}
