/**
 * A model over one split of an encoded dataset → word-level (NER) or example-level
 * (classification) predictions with gold labels, confidences, logits and the mean loss.
 * Used by evaluation/ner, evaluation/classification (model inputs) and evaluation/calibrate.
 */
import type { EncodedDataset, EncodedSplit } from '@tunekit/data-prep';
import { meanNll, softmaxRows } from '../calibration/softmax.ts';
import { checkGoldTypes, checkModelTypes, collapseProbabilities, keepType } from '../evaluate/entity-types.ts';
import type { ClassificationPrediction } from '../predictions/classification-predictions.ts';
import type { NerPredictionSentence } from '../predictions/ner-predictions.ts';
import type { InferenceModel } from './inference-model.ts';
import { splitLogits } from './logits.ts';
import { sequencePredictions, wordPredictions } from './word-predictions.ts';
import type { Decoding } from '../decoding/bio-viterbi.ts';

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

function goldIndex(labels: string[], gold: string, where: string, hint = ''): number {
  const i = labels.indexOf(gold);
  if (i === -1) throw new Error(`${where}: gold label "${gold}" is not one of the model's labels [${labels.join(', ')}]${hint}`);
  return i;
}

export async function predictNerSplit(
  m: InferenceModel,
  split: EncodedSplit,
  onProgress?: (done: number, total: number) => void,
  options: { entityTypes?: readonly string[]; decoding?: Decoding } = {},
): Promise<NerSplitPredictions> {
  if (m.model.head !== 'token-classification') throw new Error(`${m.dir}: a token-classification model is needed for NER, found ${m.model.head}`);
  const K = m.labels.length;
  const { entityTypes } = options;
  if (entityTypes) checkModelTypes(entityTypes, m.labels, m.dir);
  const tokenLogits = await splitLogits(m.model, split, { onProgress });
  const words = wordPredictions(split, tokenLogits, K, m.temperature, { labels: m.labels, decoding: options.decoding ?? 'viterbi' });
  const sentences: NerPredictionSentence[] = [];
  const gold: number[] = [];
  split.examples.forEach((example, s) => {
    const { tokens, tags } = example as { tokens: string[]; tags: string[] };
    sentences.push({ tokens, gold: tags, pred: Array.from(words.labels[s]!, (id) => m.labels[id]!), confidence: Array.from(words.confidence[s]!) });
    if (!entityTypes) tags.forEach((tag, w) => gold.push(goldIndex(m.labels, tag, `sentence ${s} word ${w}`, ' (to score only the entity types the model knows, set entity_types)')));
  });
  const logits = new Float32Array(words.logits.reduce((n, l) => n + l.length, 0));
  let offset = 0;
  for (const l of words.logits) {
    logits.set(l, offset);
    offset += l.length;
  }
  if (entityTypes) return keepEntityTypes(m, sentences, words.logits, logits, entityTypes, split.name);
  const goldIds = Int32Array.from(gold);
  return { sentences, logits, gold: goldIds, numLabels: K, loss: meanNll(logits, K, goldIds, m.temperature) };
}

/**
 * `entity_types`: every tag of another type becomes `O` in gold and predictions (by label name), and
 * each word's probabilities are collapsed onto the kept labels (a dropped type's mass goes to `O`):
 * the confidence is the collapsed probability of the (mapped) prediction, the loss the mean NLL of
 * the kept gold label under the collapsed distribution.
 */
function keepEntityTypes(
  m: InferenceModel,
  sentences: NerPredictionSentence[],
  wordLogits: readonly Float32Array[],
  logits: Float32Array,
  entityTypes: readonly string[],
  splitName: string,
): NerSplitPredictions {
  const K = m.labels.length;
  const types = new Set(entityTypes);
  const kept = m.labels.map((label) => keepType(label, types) === label);
  const o = m.labels.indexOf('O');
  const gold: number[] = [];
  let nll = 0;
  const filtered = sentences.map((sentence, s) => {
    const probabilities = collapseProbabilities(softmaxRows(wordLogits[s]!, K, m.temperature), K, kept, o);
    const predIds = sentence.pred.map((tag) => (kept[m.labels.indexOf(tag)] ? m.labels.indexOf(tag) : o));
    const goldTags = sentence.gold.map((tag) => keepType(tag, types));
    goldTags.forEach((tag, w) => {
      const id = goldIndex(m.labels, tag, `sentence ${s} word ${w}`);
      gold.push(id);
      nll -= Math.log(probabilities[w * K + id]!);
    });
    return { tokens: sentence.tokens, gold: goldTags, pred: predIds.map((id) => m.labels[id]!), confidence: predIds.map((id, w) => probabilities[w * K + id]!) };
  });
  checkGoldTypes(entityTypes, filtered.map((s) => s.gold), `split "${splitName}"`);
  return { sentences: filtered, logits, gold: Int32Array.from(gold), numLabels: K, loss: gold.length === 0 ? 0 : nll / gold.length };
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
