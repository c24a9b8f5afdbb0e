/**
 * Sub-token logits → exactly one prediction per original word: the logits at the word's `primary`
 * position (the first sub-token of the word in the window chosen by data-prep/tokenize), softmax
 * with temperature, then per sentence the best valid IOB2 tag sequence (`viterbi`, the default when
 * the labels are an IOB2 set) or the per-word top label (`argmax`), and the chosen label's probability.
 */
import { primaryPositions, type EncodedSplit } from '@tunekit/data-prep';
import { softmaxRows, topLabel } from '../calibration/softmax.ts';
import { decodeSentence, iob2Transitions, type Decoding } from '../decoding/bio-viterbi.ts';

/** How word labels are chosen from their distributions; without it, per-word argmax. */
export interface WordDecoding {
  labels: readonly string[];
  decoding: Decoding;
}

export interface WordPredictions {
  /** Per sentence, per word: predicted label id. */
  labels: Int32Array[];
  /** Per sentence, per word: probability of the predicted label. */
  confidence: Float64Array[];
  /** Per sentence: [words × numLabels] logits (before temperature). */
  logits: Float32Array[];
}

export function wordPredictions(split: EncodedSplit, tokenLogits: Float32Array, numLabels: number, temperature = 1, decoding?: WordDecoding): WordPredictions {
  const positions = primaryPositions(split);
  const allowed = decoding?.decoding === 'viterbi' ? iob2Transitions(decoding.labels) : undefined;
  if (decoding && decoding.labels.length !== numLabels) throw new Error(`decoding: ${decoding.labels.length} labels for ${numLabels} logits per word`);
  const result: WordPredictions = { labels: [], confidence: [], logits: [] };
  for (const words of positions) {
    const logits = new Float32Array(words.length * numLabels);
    words.forEach((flat, w) => logits.set(tokenLogits.subarray(flat * numLabels, (flat + 1) * numLabels), w * numLabels));
    const probabilities = softmaxRows(logits, numLabels, temperature);
    if (allowed) {
      const label = decodeSentence(probabilities, numLabels, allowed);
      result.labels.push(label);
      result.confidence.push(Float64Array.from(label, (k, w) => probabilities[w * numLabels + k]!));
    } else {
      const { label, confidence } = topLabel(probabilities, numLabels);
      result.labels.push(label);
      result.confidence.push(confidence);
    }
    result.logits.push(logits);
  }
  return result;
}

/** Sequence classification: one prediction per row (= per example). */
export function sequencePredictions(logits: Float32Array, numLabels: number, temperature = 1): { label: Int32Array; confidence: Float64Array; probabilities: Float64Array } {
  const probabilities = softmaxRows(logits, numLabels, temperature);
  return { ...topLabel(probabilities, numLabels), probabilities };
}
