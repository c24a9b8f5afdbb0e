/**
 * Tokenization throughput of `data-prep/tokenize` on NCBI-disease train (5,424 sentences,
 * 135,701 words): word-level sentences → aligned, windowed rows (the stage's work minus file I/O),
 * plus writing and loading the binary `encoded-dataset`.
 *
 *   node --import tsx bench/tokenize-throughput.ts [--runs 5]
 *
 * Tokenizers: the tiny fixture vocabulary (120 tokens: almost every word splits into characters,
 * the worst case) and an 8,000-token WordPiece vocabulary trained by `data-prep/train-tokenizer`
 * on the shipped GENIA + WikiText-2 text (realistic). Each run builds a fresh tokenizer (no cache).
 * Prints one JSON object as its last line.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConll } from '../packages/data-prep/src/conll/parse-conll.ts';
import { loadTokenizer } from '../packages/data-prep/src/tokenize/load-tokenizer.ts';
import { tokenizeDataset } from '../packages/data-prep/src/tokenize/tokenize-dataset.ts';
import { writeEncodedDataset } from '../packages/data-prep/src/encoded/write-encoded.ts';
import { loadEncodedDataset } from '../packages/data-prep/src/encoded/load-encoded.ts';
import { readCorpus } from '../packages/data-prep/src/corpus/read-corpus.ts';
import { writeCorpus } from '../packages/data-prep/src/corpus/write-corpus.ts';
import { trainTokenizer } from '../packages/data-prep/src/tokenizer-training/train-tokenizer.ts';
import type { TokenDataset } from '../packages/data-prep/src/dataset/types.ts';
import { iob2LabelList } from '../packages/data-prep/src/dataset/label-set.ts';

const root = new URL('..', import.meta.url).pathname;
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const file = join(root, 'datasets/ncbi-disease/train.tsv');
const { sentences } = parseConll(await readFile(file, 'utf8'), file);
const words = sentences.reduce((sum, s) => sum + s.tokens.length, 0);
const dataset: TokenDataset = { task: 'token-classification', labels: iob2LabelList(sentences), splits: { train: sentences } };

const scratch = await mkdtemp(join(tmpdir(), 'tunekit-bench-tokenize-'));
const corpusDir = await mkdtemp(join(scratch, 'corpus-'));
const corpus = await readCorpus(
  { train: ['datasets/genia-pubmed-abstracts/train.txt', 'datasets/wikitext-2/valid.txt'], format: 'auto', dedup: true, validation_from_train: 0, wikitext_unk: 'drop' },
  root,
  0,
);
await writeCorpus(corpusDir, corpus.splits, corpus.provenance);
const trainedDir = await mkdtemp(join(scratch, 'tokenizer-'));
const trainStart = performance.now();
await trainTokenizer(corpusDir, trainedDir, { vocab_size: 8000, min_frequency: 2, lowercase: true, split: 'train', trainer: 'deterministic' });
const trainSeconds = (performance.now() - trainStart) / 1000;

const results: Record<string, unknown> = { words, sentences: sentences.length, runs, train_tokenizer_8k_s: Number(trainSeconds.toFixed(2)) };
for (const [name, dir] of [['tiny-bert-120', join(root, 'fixtures/tiny-bert')], ['trained-8k', trainedDir]] as const) {
  for (const maxLength of [128, 32]) {
    const seconds: number[] = [];
    let rows = 0;
    let subtokens = 0;
    let encoded;
    for (let r = 0; r < runs; r++) {
      const start = performance.now();
      const loaded = await loadTokenizer(dir);
      const result = await tokenizeDataset(dataset, loaded, { maxLength, stride: 16, labelAllSubtokens: false });
      seconds.push((performance.now() - start) / 1000);
      encoded = result.encoded;
      rows = result.encoded.splits.train!.numRows;
      subtokens = result.encoded.splits.train!.attentionMask.reduce((a, b) => a + b, 0) - 2 * rows;
    }
    const out = await mkdtemp(join(scratch, 'encoded-'));
    const writeStart = performance.now();
    await writeEncodedDataset(out, encoded!, { maxLength, stride: 16, labelAllSubtokens: false, tokenizer: { source: 'bench', vocabSize: 0, clsId: 0, sepId: 0, padId: 0, unkId: 0, lowercase: null } }, {});
    const writeSeconds = (performance.now() - writeStart) / 1000;
    const loadStart = performance.now();
    await loadEncodedDataset(out);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const key = `${name}_len${maxLength}`;
    results[key] = {
      words_per_s_median: Math.round(words / median(seconds)),
      words_per_s_best: Math.round(words / Math.min(...seconds)),
      seconds_median: Number(median(seconds).toFixed(3)),
      rows,
      subtokens,
      write_s: Number(writeSeconds.toFixed(3)),
      load_s: Number(loadSeconds.toFixed(3)),
    };
    console.log(key, results[key]);
  }
}
await rm(scratch, { recursive: true, force: true });
console.log(JSON.stringify(results));
