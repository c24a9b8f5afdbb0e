import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeManifest } from '@tunekit/pipeline';
import { readCorpusArtifact } from '../corpus/write-corpus.ts';
import type { TrainTokenizerParams } from './train-tokenizer-params.ts';
import { BERT_SPECIAL_TOKENS, writeBertTokenizerFiles } from './bert-tokenizer-files.ts';
import { countWords } from './count-words.ts';
import { trainWordPiece } from './train-wordpiece.ts';

export interface TokenizerTrainingSummary {
  vocabSize: number;
  merges: number;
  stoppedBy: string;
  corpusWords: number;
  distinctWords: number;
}

/** Train on one split of a corpus artifact and write a `tokenizer` artifact into `out`. */
export async function trainTokenizer(corpusDir: string, out: string, params: TrainTokenizerParams, onProgress?: (size: number) => void): Promise<TokenizerTrainingSummary> {
  const tk = await import('tokenizers');
  const { splits } = await readCorpusArtifact(corpusDir);
  const documents = splits[params.split];
  if (!documents) throw new Error(`${corpusDir}: the corpus has no split "${params.split}" (has ${Object.keys(splits).join(', ')})`);
  const normalizer = tk.bertNormalizer({ cleanText: true, handleChineseChars: true, lowercase: params.lowercase, stripAccents: params.lowercase });
  const preTokenizer = tk.bertPreTokenizer();
  const counts = countWords(documents, normalizer, preTokenizer);
  const corpusWords = [...counts.values()].reduce((a, b) => a + b, 0);

  let vocab: string[];
  let merges: number;
  let stoppedBy: string;
  if (params.trainer === 'deterministic') {
    const result = trainWordPiece(counts, { vocabSize: params.vocab_size, minFrequency: params.min_frequency, specialTokens: BERT_SPECIAL_TOKENS, onProgress });
    ({ vocab, merges, stoppedBy } = result);
  } else {
    if (params.min_frequency > 0) throw new Error('data-prep/train-tokenizer: the `tokenizers` trainer of the Node binding has no min_frequency; set min_frequency: 0 or use trainer: deterministic');
    ({ vocab, merges, stoppedBy } = await trainWithLibrary(documents, params));
  }
  await writeBertTokenizerFiles(out, vocab, params.lowercase);
  await writeManifest(out, {
    kind: 'tokenizer',
    schemaVersion: 1,
    type: 'bert-wordpiece',
    vocabSize: vocab.length,
    lowercase: params.lowercase,
    trainer: params.trainer,
    minFrequency: params.min_frequency,
    stoppedBy,
    merges,
    corpus: { split: params.split, documents: documents.length, words: corpusWords, distinctWords: counts.size },
    files: ['tokenizer.json', 'vocab.txt', 'tokenizer_config.json'],
  });
  return { vocabSize: vocab.length, merges, stoppedBy, corpusWords, distinctWords: counts.size };
}

/**
 * The library's own trainer (`Tokenizer.train(files)` with WordPiece's default trainer: vocab 30,000,
 * no min frequency, no special tokens). Its token ids follow creation order (characters, then merges
 * by decreasing count), so the first `vocab_size - 5` tokens are what a trainer stopped at that size
 * would have produced in that run. The output is not reproducible across processes.
 */
async function trainWithLibrary(documents: string[], params: TrainTokenizerParams) {
  const tk = await import('tokenizers');
  const scratch = await mkdtemp(join(tmpdir(), 'tunekit-train-tokenizer-'));
  try {
    const file = join(scratch, 'corpus.txt');
    await writeFile(file, documents.join('\n\n') + '\n');
    const tokenizer = new tk.Tokenizer(tk.WordPiece.empty());
    tokenizer.setNormalizer(tk.bertNormalizer({ cleanText: true, handleChineseChars: true, lowercase: params.lowercase, stripAccents: params.lowercase }));
    tokenizer.setPreTokenizer(tk.bertPreTokenizer());
    tokenizer.train([file]);
    const trained = Object.entries(tokenizer.getVocab(false)).sort((a, b) => a[1] - b[1]).map(([token]) => token).filter((token) => !BERT_SPECIAL_TOKENS.includes(token));
    const vocab = [...BERT_SPECIAL_TOKENS, ...trained.slice(0, Math.max(0, params.vocab_size - BERT_SPECIAL_TOKENS.length))];
    return { vocab, merges: vocab.filter((t) => t.replace(/^##/, '').length > 1).length, stoppedBy: vocab.length >= params.vocab_size ? 'vocab_size' : 'no_pairs' };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
