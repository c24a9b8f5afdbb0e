/**
 * A model over one split of an encoded dataset → word-level (NER) or example-level
 * (classification) predictions with gold labels, confidences, logits and the mean loss.
 * Used by evaluation/ner, evaluation/classification (model inputs) and evaluation/calibrate.
 */
import type { EncodedDataset, EncodedSplit } from '@tunekit/data-prep';
import { meanNll } from '../calibration/softmax.ts';
import type { ClassificationPrediction } from '../predictions/classification-predictions.ts';
import type { NerPredictionSentence } from '../predictions/ner-predictions.ts';
import type { InferenceModel } from './inference-model.ts';
import { splitLogits } from './logits.ts';
import { sequencePredictions, wordPredictions } from './word-predictions.ts';

export interface ScoredLogits {
  /** [n × labels] logits, one row per word (NER) or example (classification), in model label order. */
  logits: Float32Array;
  /** Gold label id (model order) per row. */
  gold: Int32Array;
  numLabels: number;
}

export interface NerSplitPredictions extends ScoredLogits {
  sentences: NerPredictionSentence[];
  /** Mean NLL of the gold word label (temperature applied). */
  loss: number;
}

export interface ClassificationSplitPredictions extends ScoredLogits {
  rows: ClassificationPrediction[];
  loss: number;
}

export function pickSplit(dataset: EncodedDataset, name: string): EncodedSplit {
  const split = dataset.splits[name];
  if (!split) throw new Error(`encoded dataset has no split "${name}" (splits: ${Object.keys(dataset.splits).join(', ')})`);
  return split;
}

function goldIndex(labels: string[], gold: string, where: string): number {
  const i = labels.indexOf(gold);
  if (i === -1) throw new Error(`${where}: gold label "${gold}" is not one of the model's labels [${labels.join(', ')}]`);
  return i;
}

export async function predictNerSplit(m: InferenceModel, split: EncodedSplit, onProgress?: (done: number, total: number) => void): Promise<NerSplitPredictions> {
  if (m.model.head !== 'token-classification') throw new Error(`${m.dir}: a token-classification model is needed for NER, found ${m.model.head}`);
  const K = m.labels.length;
  const tokenLogits = await splitLogits(m.model, split, { onProgress });
  const words = wordPredictions(split, tokenLogits, K, m.temperature);
  const sentences: NerPredictionSentence[] = [];
  const gold: number[] = [];
  split.examples.forEach((example, s) => {
    const { tokens, tags } = example as { tokens: string[]; tags: string[] };
    sentences.push({ tokens, gold: tags, pred: Array.from(words.labels[s]!, (id) => m.labels[id]!), confidence: Array.from(words.confidence[s]!) });
    tags.forEach((tag, w) => gold.push(goldIndex(m.labels, tag, `sentence ${s} word ${w}`)));
  });
  const logits = new Float32Array(gold.length * K);
  let offset = 0;
  for (const l of words.logits) {
    logits.set(l, offset);
    offset += l.length;
  }
  const goldIds = Int32Array.from(gold);
  return { sentences, logits, gold: goldIds, numLabels: K, loss: meanNll(logits, K, goldIds, m.temperature) };
}

export async function predictClassificationSplit(m: InferenceModel, split: EncodedSplit, onProgress?: (done: number, total: number) => void): Promise<ClassificationSplitPredictions> {
  if (m.model.head !== 'sequence-classification') throw new Error(`${m.dir}: a sequence-classification model is needed, found ${m.model.head}`);
  const K = m.labels.length;
  const logits = await splitLogits(m.model, split, { onProgress });
  const { label, confidence, probabilities } = sequencePredictions(logits, K, m.temperature);
  const gold = new Int32Array(split.numRows);
  const rows = split.examples.map((example, i) => {
    const { text, label: goldLabel } = example as { text: string; label: string };
    gold[i] = goldIndex(m.labels, goldLabel, `example ${i}`);
    return {
      text,
      gold: goldLabel,
      pred: m.labels[label[i]!]!,
      confidence: confidence[i]!,
      probabilities: Object.fromEntries(m.labels.map((l, k) => [l, probabilities[i * K + k]!])),
    };
  });
  return { rows, logits, gold, numLabels: K, loss: meanNll(logits, K, gold, m.temperature) };
}
