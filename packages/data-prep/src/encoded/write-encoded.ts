import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManifest } from '@tunekit/pipeline';
import { orderedSplitNames } from '../dataset/write-dataset.ts';
import { smallestDtype, toLittleEndianBytes } from './binary-arrays.ts';
import type { EncodedArrayName, EncodedDatasetManifest, EncodedDatasetMeta, EncodedSplitManifest } from './manifest.ts';
import type { EncodedDataset } from './types.ts';

const FILE_NAMES: Record<EncodedArrayName, string> = {
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  tokenTypeIds: 'token_type_ids',
  labels: 'labels',
  wordIds: 'word_ids',
  primary: 'primary',
  rowSentence: 'row_sentence',
};

/**
 * Write an `encoded-dataset` artifact: per split a folder of little-endian `.bin` arrays (each in
 * the smallest integer type that holds its values; the loader widens them back) plus the original
 * examples as JSONL, and `manifest.json`. Bytes depend only on the data (no paths, no times).
 */
export async function writeEncodedDataset(
  dir: string,
  dataset: EncodedDataset,
  meta: EncodedDatasetMeta,
  stats: Record<string, Record<string, number>>,
): Promise<EncodedDatasetManifest> {
  const splits: Record<string, EncodedSplitManifest> = {};
  for (const name of orderedSplitNames(Object.keys(dataset.splits))) {
    const split = dataset.splits[name]!;
    await mkdir(join(dir, name));
    const arrays: EncodedSplitManifest['arrays'] = {};
    for (const key of Object.keys(FILE_NAMES) as EncodedArrayName[]) {
      const values = split[key];
      if (!values) continue;
      const dtype = smallestDtype(values);
      const file = `${name}/${FILE_NAMES[key]}.bin`;
      await writeFile(join(dir, file), toLittleEndianBytes(values, dtype));
      arrays[key] = { file, dtype, length: values.length };
    }
    const examples = `${name}/examples.jsonl`;
    await writeFile(join(dir, examples), split.examples.map((example) => JSON.stringify(example) + '\n').join(''));
    splits[name] = { numRows: split.numRows, seqLen: split.seqLen, numExamples: split.examples.length, arrays, examples, stats: stats[name] ?? {} };
  }
  const manifest: EncodedDatasetManifest = {
    kind: 'encoded-dataset',
    schemaVersion: 1,
    task: dataset.task,
    labels: dataset.labels,
    byteOrder: 'little-endian',
    ...meta,
    splits,
  };
  await writeManifest(dir, manifest);
  return manifest;
}
