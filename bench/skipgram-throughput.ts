/**
 * Throughput of `training/pretrain-embeddings`' kernel (@tunekit/native skipgram.c, one thread) on
 * the PMC RCT full texts tokenized with the builtin model's WordPiece vocabulary (8k, uncased).
 *
 *   node --import tsx bench/skipgram-throughput.ts [--tokens 2500000] [--dim 256] [--runs 2]
 *
 * One epoch, window 5, negative 5, sample 1e-4, min_count 3, learning rate 0.025 (the stage's
 * defaults). tokens/s = corpus tokens read per second (word2vec's words/s: tokens dropped by
 * subsampling count as read), per wall second and per CPU second of this process (the second is
 * what one free core would give when the machine is loaded). Each run's vectors are hashed: the runs must print the same digest.
 * Prints one JSON object as its last line.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadTokenizer } from '../packages/data-prep/src/tokenize/load-tokenizer.ts';
import { corpusIds } from '../packages/training/src/embeddings/corpus-ids.ts';
import { trainSkipgram } from '../packages/training/src/embeddings/skipgram.ts';

const root = new URL('..', import.meta.url).pathname;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const maxTokens = arg('tokens', 2_500_000);
const dim = arg('dim', 256);
const runs = arg('runs', 2);

const documents: string[] = [];
for (const shard of ['train-00', 'train-01', 'train-02', 'train-03']) {
  const text = gunzipSync(await readFile(join(root, 'datasets/pmc-rct-fulltext', `${shard}.txt.gz`))).toString('utf8');
  documents.push(...text.replace(/\n$/, '').split('\n\n'));
}
const loaded = await loadTokenizer(join(root, 'models/biomed-bert-mini'));
let started = performance.now();
const tokens = await corpusIds(documents, loaded, maxTokens);
const corpusTokens = tokens.filter((id) => id >= 0).length;
console.log(`tokenized ${corpusTokens} tokens (${tokens.length - corpusTokens + 1} documents) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const results: Array<{ seconds: number; tokens_per_s: number; cpu_seconds: number; tokens_per_cpu_s: number; digest: string }> = [];
for (let run = 0; run < runs; run++) {
  started = performance.now();
  const cpu = process.cpuUsage();
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t) => loaded.tokenizer.tokenToId(t)!);
  const result = await trainSkipgram(tokens, loaded.vocabSize, { dim, window: 5, negative: 5, epochs: 1, alpha: 0.025, sample: 1e-4, minCount: 3, excludeIds: specials, seed: 42 });
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const digest = createHash('sha256').update(new Uint8Array(result.vectors.buffer)).digest('hex').slice(0, 16);
  results.push({ seconds: Number(result.seconds.toFixed(2)), tokens_per_s: Math.round(corpusTokens / result.seconds), cpu_seconds: Number(cpuSeconds.toFixed(2)), tokens_per_cpu_s: Math.round(corpusTokens / cpuSeconds), digest });
  console.log(`run ${run + 1}: ${result.seconds.toFixed(1)} s, ${Math.round(corpusTokens / result.seconds)} tokens/s (${cpuSeconds.toFixed(1)} CPU s: ${Math.round(corpusTokens / cpuSeconds)} tokens per CPU second), ${result.trainWords} in-vocabulary tokens, vectors ${digest} (wall incl. tables ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
console.log(JSON.stringify({ corpus_tokens: corpusTokens, dim, window: 5, negative: 5, sample: 1e-4, runs: results }));
