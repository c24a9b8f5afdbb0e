/**
 * The generator's samples, outside the gradient tape (ELECTRA: no gradient flows through sampling).
 * Each masked position draws one token from the softmax of its logits by inverse CDF with a uniform
 * taken from that token's noise — a 31-bit integer drawn on the host with the masks, seeded per
 * (step, micro-batch) and carried with the token into a data-parallel shard — so a sample depends
 * only on its logits and its noise: bit-identical across reruns and resume, and the same stream
 * whatever the worker count.
 */
import { seededRandom } from '@tunekit/pipeline/sdk';

const NOISE_RANGE = 2 ** 31;

/** One noise integer per token of a batch, from `seed`. */
export function samplingNoise(tokens: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const noise = new Int32Array(tokens);
  for (let i = 0; i < tokens; i++) noise[i] = Math.floor(random() * NOISE_RANGE);
  return noise;
}

/** Uniform in (0, 1) of a noise integer. */
export function noiseUniform(noise: number): number {
  return (noise + 0.5) / NOISE_RANGE;
}

/**
 * Row r of `logits` ([rows, classes], row-major) → the id whose cumulative softmax probability first
 * reaches `uniforms[r]` (float64 arithmetic).
 */
export function sampleFromLogits(logits: Float32Array, classes: number, uniforms: Float64Array): Int32Array {
  const rows = uniforms.length;
  if (logits.length !== rows * classes) throw new Error(`sampleFromLogits: ${logits.length} logits for ${rows} rows of ${classes}`);
  const out = new Int32Array(rows);
  const weights = new Float64Array(classes);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[base + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += weights[c] = Math.exp(logits[base + c]! - max);
    const target = uniforms[r]! * sum;
    let cumulative = 0;
    let chosen = classes - 1;
    for (let c = 0; c < classes; c++) {
      cumulative += weights[c]!;
      if (cumulative >= target && weights[c]! > 0) {
        chosen = c;
        break;
      }
    }
    out[r] = chosen;
  }
  return out;
}

export interface ReplacedTokens {
  /** The discriminator's input: the original ids with the generator's samples at the masked positions. */
  inputIds: Int32Array;
  /** 1 where the input differs from the original (a sample equal to the original is 0), -100 at padding. */
  labels: Int32Array;
}

/**
 * `maskedIds`/`mlmLabels` as `maskTokens` returns them (labels: the original id at masked positions,
 * -100 elsewhere), `positions` the flat masked positions in the order of `samples`.
 */
export function replaceTokens(maskedIds: Int32Array, mlmLabels: Int32Array, attentionMask: Int32Array, positions: Int32Array, samples: Int32Array): ReplacedTokens {
  const inputIds = new Int32Array(maskedIds.length);
  const labels = new Int32Array(maskedIds.length);
  for (let i = 0; i < maskedIds.length; i++) {
    inputIds[i] = mlmLabels[i] !== -100 ? mlmLabels[i]! : maskedIds[i]!;
    labels[i] = attentionMask[i] ? 0 : -100;
  }
  positions.forEach((flat, j) => {
    const original = mlmLabels[flat]!;
    inputIds[flat] = samples[j]!;
    if (attentionMask[flat]) labels[flat] = samples[j] === original ? 0 : 1;
  });
  return { inputIds, labels };
}
