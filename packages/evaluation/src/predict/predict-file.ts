/**
 * `tunekit predict`: label a user's file with a trained model.
 * - NER (`.tsv`/`.conll`/`.txt`): one word per line, optionally `word<TAB>gold`; blank lines
 *   between sentences. Every word gets exactly one prediction (long sentences go through the
 *   tokenizer's windows); output lines are `word<TAB>pred<TAB>confidence`, or
 *   `word<TAB>gold<TAB>pred<TAB>confidence` when the input has a gold column; blank lines kept.
 * - Classification (`.jsonl`): one JSON object per line with `text` (and optional `label`); one JSON
 *   line out per line in: `{"text", "gold"?, "pred", "confidence", "probabilities"}`.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { InputFormatError, readColumnSentences } from '../io/read-columns.ts';
import { formatClassificationPredictions, type ClassificationPrediction } from '../predictions/classification-predictions.ts';
import { loadInferenceModel, type InferenceModel } from './inference-model.ts';
import { splitLogits } from './logits.ts';
import { sequencePredictions, wordPredictions } from './word-predictions.ts';

export interface PredictOptions {
  modelDir: string;
  input: string;
  output: string;
  batchSize?: number;
  /** Sub-tokens per window (default: min(128, max_position_embeddings)). */
  maxLength?: number;
  /** Rows (windows or texts) predicted so far, after every batch. */
  onProgress?: (done: number, total: number) => void;
}

export interface PredictSummary {
  task: 'token-classification' | 'sequence-classification';
  sentences?: number;
  words?: number;
  examples?: number;
  backend: string;
  temperature: number;
}

function windowLength(m: InferenceModel, requested?: number): number {
  const limit = Number(m.model.config.max_position_embeddings);
  return Math.min(requested ?? 128, limit);
}

async function loadTokenizer(modelDir: string) {
  const { loadTokenizer: load } = await import('@tunekit/data-prep');
  return load(modelDir);
}

async function predictWords(m: InferenceModel, options: PredictOptions, text: string): Promise<{ out: string; summary: Partial<PredictSummary> }> {
  const rows = readColumnSentences(text, options.input, [1, 2], 'word or word<TAB>gold');
  const width = rows[0]?.[0]?.columns.length ?? 1;
  for (const sentence of rows) {
    for (const row of sentence) if (row.columns.length !== width) throw new InputFormatError(options.input, row.line, `expected ${width} column(s) like the first line, found ${row.columns.length}`);
  }
  const { tokenizeDataset } = await import('@tunekit/data-prep');
  const maxLength = windowLength(m, options.maxLength);
  // Tags only drive label alignment, which prediction does not use: fill with the first label.
  const examples = rows.map((s) => ({ tokens: s.map((r) => r.columns[0]!), tags: s.map(() => m.labels[0]!) }));
  const { encoded } = await tokenizeDataset(
    { task: 'token-classification', labels: m.labels, splits: { input: examples } },
    await loadTokenizer(options.modelDir),
    { maxLength, stride: Math.min(32, Math.floor((maxLength - 2) / 2)), labelAllSubtokens: false },
  );
  const split = encoded.splits.input!;
  const words = wordPredictions(split, await splitLogits(m.model, split, { batchSize: options.batchSize, onProgress: options.onProgress }), m.labels.length, m.temperature, { labels: m.labels, decoding: 'viterbi' });
  const out = rows
    .map((sentence, s) =>
      sentence
        .map((row, w) => [...row.columns, m.labels[words.labels[s]![w]!]!, words.confidence[s]![w]!.toFixed(6)].join('\t'))
        .join('\n'),
    )
    .join('\n\n');
  return { out: out + (rows.length ? '\n' : ''), summary: { sentences: rows.length, words: rows.reduce((n, s) => n + s.length, 0) } };
}

async function predictTexts(m: InferenceModel, options: PredictOptions, text: string): Promise<{ out: string; summary: Partial<PredictSummary> }> {
  const inputs: { text: string; label?: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(raw);
    } catch (error) {
      throw new InputFormatError(options.input, i + 1, `not valid JSON (${(error as Error).message})`);
    }
    if (typeof row?.text !== 'string') throw new InputFormatError(options.input, i + 1, 'expected an object with a "text" string');
    inputs.push({ text: row.text, ...(typeof row.label === 'string' ? { label: row.label } : {}) });
  });
  const { tokenizeDataset } = await import('@tunekit/data-prep');
  const maxLength = windowLength(m, options.maxLength);
  const { encoded } = await tokenizeDataset(
    { task: 'sequence-classification', labels: m.labels, splits: { input: inputs.map((r) => ({ text: r.text, label: m.labels[0]! })) } },
    await loadTokenizer(options.modelDir),
    { maxLength, stride: 0, labelAllSubtokens: false },
  );
  const K = m.labels.length;
  const { label, confidence, probabilities } = sequencePredictions(await splitLogits(m.model, encoded.splits.input!, { batchSize: options.batchSize, onProgress: options.onProgress }), K, m.temperature);
  const rows: ClassificationPrediction[] = inputs.map((r, i) => ({
    text: r.text,
    ...(r.label !== undefined ? { gold: r.label } : {}),
    pred: m.labels[label[i]!]!,
    confidence: confidence[i]!,
    probabilities: Object.fromEntries(m.labels.map((l, k) => [l, probabilities[i * K + k]!])),
  }));
  return { out: formatClassificationPredictions(rows), summary: { examples: rows.length } };
}

export async function predictFile(options: PredictOptions): Promise<PredictSummary> {
  const text = await readFile(options.input, 'utf8');
  const m = await loadInferenceModel(options.modelDir);
  try {
    const isJsonl = options.input.endsWith('.jsonl');
    if (isJsonl !== (m.model.head === 'sequence-classification')) {
      throw new Error(`${options.input}: a ${m.model.head} model needs ${m.model.head === 'sequence-classification' ? 'a .jsonl file of {"text": ...}' : 'a word-per-line .tsv file'}`);
    }
    const { out, summary } = isJsonl ? await predictTexts(m, options, text) : await predictWords(m, options, text);
    // Written next to the target and renamed: a failure never leaves a half-written output.
    const temp = `${options.output}.${process.pid}.tmp`;
    await writeFile(temp, out);
    await rename(temp, options.output);
    return { task: m.model.head as PredictSummary['task'], backend: m.backend, temperature: m.temperature, ...summary };
  } finally {
    m.model.dispose();
  }
}
