/** Writes input artifacts in the documented formats for stage tests. */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeManifest } from '@tunekit/pipeline';
import { readColumnSentences } from '../../src/io/read-columns.ts';
import { formatNerPredictions, type NerPredictionSentence } from '../../src/predictions/ner-predictions.ts';
import { tempDir } from './stage-context.ts';

export function readConll(path: string): { tokens: string[]; tags: string[] }[] {
  const file = fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
  return readColumnSentences(readFileSync(file, 'utf8'), file, [2], 'token<TAB>tag').map((s) => ({
    tokens: s.map((r) => r.columns[0]!),
    tags: s.map((r) => r.columns[1]!),
  }));
}

export async function nerPredictionsArtifact(sentences: NerPredictionSentence[], split = 'test'): Promise<string> {
  const dir = await tempDir('tunekit-preds-');
  await writeFile(join(dir, 'predictions.tsv'), formatNerPredictions(sentences));
  await writeManifest(dir, { kind: 'predictions', schemaVersion: 1, task: 'token-classification', file: 'predictions.tsv', split });
  return dir;
}

/** A word-level `dataset` artifact in data-prep's layout: manifest + one <split>.jsonl per split. */
export async function tokenDatasetArtifact(splits: Record<string, { tokens: string[]; tags: string[] }[]>): Promise<string> {
  const dir = await tempDir('tunekit-dataset-');
  await mkdir(dir, { recursive: true });
  const summary: Record<string, { file: string; examples: number }> = {};
  for (const [name, rows] of Object.entries(splits)) {
    await writeFile(join(dir, `${name}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    summary[name] = { file: `${name}.jsonl`, examples: rows.length };
  }
  const types = [...new Set(Object.values(splits).flat().flatMap((r) => r.tags.filter((t) => t !== 'O').map((t) => t.slice(2))))].sort();
  await writeManifest(dir, {
    kind: 'dataset',
    schemaVersion: 1,
    task: 'token-classification',
    labels: ['O', ...types.flatMap((t) => [`B-${t}`, `I-${t}`])],
    tagScheme: 'IOB2',
    splits: summary,
    provenance: { writer: 'evaluation tests' },
  });
  return dir;
}

export const TINY_BERT = fileURLToPath(new URL('../../../../fixtures/tiny-bert', import.meta.url));

/** An encoded-dataset artifact made with data-prep's own tokenization (the model folder's vocabulary). */
export async function encodedDatasetArtifact(
  modelDir: string,
  splits: Record<string, { tokens: string[]; tags: string[] }[]>,
  labels: string[],
  maxLength = 64,
): Promise<string> {
  const { loadTokenizer, tokenizeDataset, writeEncodedDataset } = await import('@tunekit/data-prep');
  const loaded = await loadTokenizer(modelDir);
  const stride = Math.min(16, Math.floor((maxLength - 2) / 2));
  const { encoded, stats } = await tokenizeDataset({ task: 'token-classification', labels, splits }, loaded, { maxLength, stride, labelAllSubtokens: false });
  const dir = await tempDir('tunekit-encoded-');
  await writeEncodedDataset(dir, encoded, {
    maxLength,
    stride,
    labelAllSubtokens: false,
    tokenizer: { source: loaded.source, vocabSize: loaded.vocabSize, clsId: loaded.clsId, sepId: loaded.sepId, padId: loaded.padId, unkId: loaded.unkId, lowercase: loaded.lowercase ?? null },
  }, stats);
  return dir;
}

/** A sequence-classification encoded-dataset artifact made with data-prep's own tokenization. */
export async function encodedTextDatasetArtifact(modelDir: string, splits: Record<string, { text: string; label: string }[]>, labels: string[], maxLength = 32): Promise<string> {
  const { loadTokenizer, tokenizeDataset, writeEncodedDataset } = await import('@tunekit/data-prep');
  const loaded = await loadTokenizer(modelDir);
  const { encoded, stats } = await tokenizeDataset({ task: 'sequence-classification', labels, splits }, loaded, { maxLength, stride: 0, labelAllSubtokens: false });
  const dir = await tempDir('tunekit-encoded-text-');
  await writeEncodedDataset(dir, encoded, {
    maxLength,
    tokenizer: { source: loaded.source, vocabSize: loaded.vocabSize, clsId: loaded.clsId, sepId: loaded.sepId, padId: loaded.padId, unkId: loaded.unkId, lowercase: loaded.lowercase ?? null },
  }, stats);
  return dir;
}
