/**
 * Sub-token logits → exactly one prediction per original word: the logits at the word's `primary`
 * position (the first sub-token of the word in the window chosen by data-prep/tokenize), softmax
 * with temperature, top label and its probability.
 */
import { primaryPositions, type EncodedSplit } from '@tunekit/data-prep';
import { softmaxRows, topLabel } from '../calibration/softmax.ts';

export interface WordPredictions {
  /** Per sentence, per word: predicted label id. */
  labels: Int32Array[];
  /** Per sentence, per word: probability of the predicted label. */
  confidence: Float64Array[];
  /** Per sentence: [words × numLabels] logits (before temperature). */
  logits: Float32Array[];
}

export function wordPredictions(split: EncodedSplit, tokenLogits: Float32Array, numLabels: number, temperature = 1): WordPredictions {
  const positions = primaryPositions(split);
  const result: WordPredictions = { labels: [], confidence: [], logits: [] };
  for (const words of positions) {
    const logits = new Float32Array(words.length * numLabels);
    words.forEach((flat, w) => logits.set(tokenLogits.subarray(flat * numLabels, (flat + 1) * numLabels), w * numLabels));
    const { label, confidence } = topLabel(softmaxRows(logits, numLabels, temperature), numLabels);
    result.labels.push(label);
    result.confidence.push(confidence);
    result.logits.push(logits);
  }
  return result;
}

/** Sequence classification: one prediction per row (= per example). */
export function sequencePredictions(logits: Float32Array, numLabels: number, temperature = 1): { label: Int32Array; confidence: Float64Array; probabilities: Float64Array } {
  const probabilities = softmaxRows(logits, numLabels, temperature);
  return { ...topLabel(probabilities, numLabels), probabilities };
}
