/**
 * ELECTRA's held-out evaluation on the validation blocks, with the masks of pretrain-mlm's held-out
 * loss (same seed, same batches) and fixed sampling noise: the generator's masked-LM loss, the
 * discriminator's loss, and how well it finds the replaced tokens (accuracy, precision, recall, ROC
 * AUC of p(replaced) over every non-padding token; "always original" scores 1 − replaced_fraction).
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@tunekit/pipeline/sdk';
import { disposeBatch, toBatch } from '../data/batch.ts';
import type { Rows } from '../data/rows.ts';
import type { MaskingOptions } from '../mlm/masking.ts';
import { heldOutMaskedBatches } from '../mlm/task.ts';
import { electraForward } from './loss.ts';
import type { ElectraModel } from './model.ts';
import { samplingNoise } from './sampling.ts';

/** Stream of the sampling noise, derived from the masking seed of a batch. */
export const NOISE_STREAM = 0x5a3f;

/** ROC AUC (Mann–Whitney U, ties share their average rank); NaN without both classes. */
export function rocAuc(scores: Float64Array, positive: Uint8Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) if (positive[order[k]!]) {
      positives++;
      rankSum += rank;
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function heldOutElectra(model: ElectraModel, rows: Rows, masking: MaskingOptions, seed: number, batchSize: number, discriminatorWeight: number): Record<string, number> {
  let generatorSum = 0;
  let masked = 0;
  let discriminatorSum = 0;
  const scores: number[] = [];
  const labels: number[] = [];
  heldOutMaskedBatches(rows, masking, seed, batchSize).forEach(({ indices, host }, b) => {
    const n = host.predictPositions!.length;
    if (n === 0) return;
    const batch = toBatch({ ...host, sampleNoise: samplingNoise(host.inputIds.length, deriveSeed(seed + b, NOISE_STREAM)) }, indices, true);
    let generatorLoss = NaN;
    let discriminatorLoss = NaN;
    let probabilities: Float32Array = new Float32Array(0);
    let replacedLabels: Int32Array = new Int32Array(0);
    tf.tidy(() => {
      const parts = electraForward(model, batch, { training: false, discriminatorWeight });
      const logits = parts.discriminatorLogits;
      const p = tf.sigmoid(tf.sub(tf.gather(logits, 1, -1), tf.gather(logits, 0, -1)));
      generatorLoss = parts.generatorLoss.dataSync()[0]!;
      discriminatorLoss = parts.discriminatorLoss.dataSync()[0]!;
      probabilities = p.dataSync() as Float32Array;
      replacedLabels = parts.replaced.labels;
    });
    let tokens = 0;
    replacedLabels.forEach((label, i) => {
      if (label === -100) return;
      tokens++;
      scores.push(probabilities[i]!);
      labels.push(label);
    });
    generatorSum += generatorLoss * n;
    masked += n;
    discriminatorSum += discriminatorLoss * tokens;
    disposeBatch(batch);
  });
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  scores.forEach((p, i) => {
    const predicted = p > 0.5 ? 1 : 0;
    if (predicted === labels[i]) correct++;
    if (predicted && labels[i]) tp++;
    else if (predicted) fp++;
    else if (labels[i]) fn++;
  });
  const generator = masked > 0 ? generatorSum / masked : NaN;
  const discriminator = scores.length > 0 ? discriminatorSum / scores.length : NaN;
  return {
    eval_loss: generator + discriminatorWeight * discriminator,
    eval_generator_loss: generator,
    eval_discriminator_loss: discriminator,
    eval_replaced_accuracy: scores.length > 0 ? correct / scores.length : NaN,
    eval_replaced_precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    eval_replaced_recall: tp + fn > 0 ? tp / (tp + fn) : NaN,
    eval_replaced_auc: rocAuc(Float64Array.from(scores), Uint8Array.from(labels)),
    eval_replaced_fraction: scores.length > 0 ? (tp + fn) / scores.length : NaN,
  };
}
