import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readManifest } from '@tunekit/pipeline';
import { fromLittleEndianBytes } from './binary-arrays.ts';
import type { BinaryArrayEntry, EncodedDatasetManifest } from './manifest.ts';
import type { EncodedDataset, EncodedSplit } from './types.ts';

async function readArray(dir: string, entry: BinaryArrayEntry): Promise<ArrayLike<number>> {
  const typed = fromLittleEndianBytes(await readFile(join(dir, entry.file)), entry.dtype);
  if (typed.length !== entry.length) throw new Error(`${join(dir, entry.file)}: expected ${entry.length} ${entry.dtype} values, found ${typed.length}`);
  return typed;
}

const widen = (values: ArrayLike<number>): Int32Array => (values instanceof Int32Array ? values : Int32Array.from(values));
const narrow = (values: ArrayLike<number>): Uint8Array => (values instanceof Uint8Array ? values : Uint8Array.from(values));

/** Load an `encoded-dataset` artifact written by `data-prep/tokenize` into typed arrays. */
export async function loadEncodedDataset(dir: string): Promise<EncodedDataset> {
  const manifest = await readManifest<EncodedDatasetManifest>(dir, 'encoded-dataset');
  if (manifest.schemaVersion !== 1) throw new Error(`${dir}: encoded-dataset schemaVersion ${manifest.schemaVersion} is not supported (expected 1)`);
  const splits: Record<string, EncodedSplit> = {};
  for (const [name, entry] of Object.entries(manifest.splits)) {
    const array = async (key: keyof typeof entry.arrays) => (entry.arrays[key] ? readArray(dir, entry.arrays[key]!) : undefined);
    const examplesText = await readFile(join(dir, entry.examples), 'utf8');
    const split: EncodedSplit = {
      name,
      numRows: entry.numRows,
      seqLen: entry.seqLen,
      inputIds: widen((await array('inputIds'))!),
      attentionMask: widen((await array('attentionMask'))!),
      tokenTypeIds: widen((await array('tokenTypeIds'))!),
      labels: widen((await array('labels'))!),
      examples: examplesText.length ? examplesText.trimEnd().split('\n').map((line) => JSON.parse(line)) : [],
    };
    const wordIds = await array('wordIds');
    const primary = await array('primary');
    const rowSentence = await array('rowSentence');
    if (wordIds) split.wordIds = widen(wordIds);
    if (primary) split.primary = narrow(primary);
    if (rowSentence) split.rowSentence = widen(rowSentence);
    splits[name] = split;
  }
  return { task: manifest.task, labels: manifest.labels, splits };
}

/** The manifest alone (label names, max length, tokenizer ids) without loading arrays. */
export async function readEncodedManifest(dir: string): Promise<EncodedDatasetManifest> {
  return readManifest<EncodedDatasetManifest>(dir, 'encoded-dataset');
}
