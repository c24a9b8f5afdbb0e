/**
 * Zero-shot sentence classification by nearest class prototype. A class's prototype is the
 * normalised mean last-layer vector of its description (encoded alone); a sentence's vector is the
 * mean over its real sub-tokens ([CLS], [SEP] and padding excluded), so both sides are pooled the
 * same way. The sentence takes the class whose prototype is nearest by cosine; the probabilities are
 * softmax(cosine × sharpness) over the classes. No labelled example and no trained weight is used.
 */
import type { EncodedSplit } from '@tunekit/data-prep';
import type { ClassificationPrediction } from '../../predictions/classification-predictions.ts';
import type { ZeroShotEncoder } from './encoder.ts';
import type { ZeroShotOptions } from './label-words.ts';
import { meanPooledRows } from './encoder.ts';
import { prototypeProbabilities } from './prototypes.ts';

/**
 * Class labels cannot have sensible default descriptions, so every label needs one, and a
 * description for a label the dataset does not have is a mistake (a typo, or the NER default).
 */
export function checkClassDescriptions(labels: readonly string[], descriptions: Record<string, string>): void {
  const missing = labels.filter((label) => !(label in descriptions));
  const unknown = Object.keys(descriptions).filter((label) => !labels.includes(label));
  if (missing.length === 0 && unknown.length === 0) return;
  throw new Error(
    `evaluation/baseline-zero-shot: a sequence-classification dataset needs \`descriptions\` for every label (labels: ${labels.join(', ')})` +
      (missing.length ? `; missing: ${missing.join(', ')}` : '') +
      (unknown.length ? `; not labels of the dataset: ${unknown.join(', ')}` : ''),
  );
}

export async function classifySentencesZeroShot(encoder: ZeroShotEncoder, split: EncodedSplit, labels: readonly string[], options: ZeroShotOptions): Promise<ClassificationPrediction[]> {
  checkClassDescriptions(labels, options.descriptions);
  const H = encoder.hiddenSize;
  const L = split.seqLen;
  const prototypes: Float32Array[] = [];
  for (const label of labels) prototypes.push(await encoder.describe(options.descriptions[label]!, L));
  const vectors: Float32Array[] = [];
  for (let start = 0; start < split.numRows; start += options.batchSize) {
    const rows = Math.min(options.batchSize, split.numRows - start);
    const ids = split.inputIds.subarray(start * L, (start + rows) * L);
    const mask = split.attentionMask.subarray(start * L, (start + rows) * L);
    vectors.push(...meanPooledRows(await encoder.lastHidden(ids, mask, rows, L), ids, mask, rows, L, H, encoder.specialIds));
    options.onProgress?.(start + rows, split.numRows);
  }
  return split.examples.map((example, i) => {
    const { text, label: gold } = example as { text: string; label: string };
    const probabilities = prototypeProbabilities(vectors[i]!, prototypes, options.sharpness);
    const confidence = Math.max(...probabilities);
    return { text, gold, pred: labels[probabilities.indexOf(confidence)]!, confidence, probabilities: Object.fromEntries(labels.map((l, k) => [l, probabilities[k]!])) };
  });
}
