/** Row-wise softmax of logits / temperature, numerically stable (max subtracted). */
export function softmaxRows(logits: ArrayLike<number>, numClasses: number, temperature = 1): Float64Array {
  if (!(temperature > 0)) throw new Error(`temperature must be > 0, got ${temperature}`);
  const n = logits.length / numClasses;
  if (!Number.isInteger(n)) throw new Error(`${logits.length} logits is not a multiple of ${numClasses} classes`);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < n; i++) {
    const o = i * numClasses;
    let max = -Infinity;
    for (let k = 0; k < numClasses; k++) max = Math.max(max, logits[o + k]! / temperature);
    let sum = 0;
    for (let k = 0; k < numClasses; k++) sum += out[o + k] = Math.exp(logits[o + k]! / temperature - max);
    for (let k = 0; k < numClasses; k++) out[o + k]! /= sum;
  }
  return out;
}

/** Top-label prediction and its probability per row. */
export function topLabel(probabilities: ArrayLike<number>, numClasses: number): { label: Int32Array; confidence: Float64Array } {
  const n = probabilities.length / numClasses;
  const label = new Int32Array(n);
  const confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < numClasses; k++) if (probabilities[i * numClasses + k]! > probabilities[i * numClasses + best]!) best = k;
    label[i] = best;
    confidence[i] = probabilities[i * numClasses + best]!;
  }
  return { label, confidence };
}

/** Mean negative log-likelihood of `gold` under softmax(logits / T). */
export function meanNll(logits: ArrayLike<number>, numClasses: number, gold: ArrayLike<number>, temperature = 1): number {
  const n = gold.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * numClasses;
    let max = -Infinity;
    for (let k = 0; k < numClasses; k++) max = Math.max(max, logits[o + k]! / temperature);
    let sum = 0;
    for (let k = 0; k < numClasses; k++) sum += Math.exp(logits[o + k]! / temperature - max);
    total += max + Math.log(sum) - logits[o + gold[i]!]! / temperature;
  }
  return n === 0 ? 0 : total / n;
}
