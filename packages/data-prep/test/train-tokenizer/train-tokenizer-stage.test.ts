import { describe, expect, test } from '@jest/globals';
import { copyFile, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import corpus from '../../src/stages/corpus.ts';
import trainTokenizer from '../../src/stages/train-tokenizer.ts';
import { loadTokenizer } from '../../src/tokenize/load-tokenizer.ts';
import { REPO_ROOT, directoryDigest } from '../helpers/stage-context.ts';
import { runStage } from '../helpers/run-stage.ts';

const genia = await runStage(corpus, { params: { train: 'datasets/genia-pubmed-abstracts/valid.txt' }, pipelineDir: REPO_ROOT });
const corpusDir = genia.outputs.corpus!;

describe('data-prep/train-tokenizer', () => {
  test('writes vocab.txt, tokenizer.json and tokenizer_config.json that the tokenizers library loads', async () => {
    const { outputs, metrics } = await runStage(trainTokenizer, { params: { vocab_size: 1000 }, inputs: { corpus: corpusDir } });
    const dir = outputs.tokenizer!;
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']);
    const vocab = (await readFile(join(dir, 'vocab.txt'), 'utf8')).trimEnd().split('\n');
    expect(vocab).toHaveLength(1000);
    expect(vocab.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect(JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8')).do_lower_case).toBe(true);
    expect(metrics.find((m) => m.key === 'vocab_size')!.value).toBe(1000);
    const fromJson = await loadTokenizer(dir);
    expect(fromJson.source).toBe('tokenizer.json');
    const encoding = await fromJson.tokenizer.encode('The T cell receptor.', null);
    expect(encoding.getTokens()).toEqual(['[CLS]', 'the', 't', 'cell', 'receptor', '.', '[SEP]']);
  });

  test('the same corpus and params give identical bytes (deterministic trainer)', async () => {
    const a = await runStage(trainTokenizer, { params: { vocab_size: 600, min_frequency: 3 }, inputs: { corpus: corpusDir } });
    const b = await runStage(trainTokenizer, { params: { vocab_size: 600, min_frequency: 3 }, inputs: { corpus: corpusDir } });
    expect(await directoryDigest(b.outputs.tokenizer!)).toBe(await directoryDigest(a.outputs.tokenizer!));
  });

  test('lowercase: false keeps case in the vocabulary and the saved tokenizer', async () => {
    const { outputs } = await runStage(trainTokenizer, { params: { vocab_size: 600, lowercase: false }, inputs: { corpus: corpusDir } });
    const vocab = (await readFile(join(outputs.tokenizer!, 'vocab.txt'), 'utf8')).split('\n');
    expect(vocab).toContain('T');
    expect(JSON.parse(await readFile(join(outputs.tokenizer!, 'tokenizer_config.json'), 'utf8')).do_lower_case).toBe(false);
  });

  test('trainer: tokenizers uses the library trainer, truncated to vocab_size (min_frequency must be 0)', async () => {
    const { outputs } = await runStage(trainTokenizer, { params: { vocab_size: 800, min_frequency: 0, trainer: 'tokenizers' }, inputs: { corpus: corpusDir } });
    const vocab = (await readFile(join(outputs.tokenizer!, 'vocab.txt'), 'utf8')).trimEnd().split('\n');
    expect(vocab).toHaveLength(800);
    await expect(runStage(trainTokenizer, { params: { vocab_size: 800, trainer: 'tokenizers' }, inputs: { corpus: corpusDir } })).rejects.toThrow('has no min_frequency');
  });

  test('the saved tokenizer.json and the same vocab.txt + tokenizer_config.json encode NCBI-disease devel identically', async () => {
    const { outputs } = await runStage(trainTokenizer, { params: { vocab_size: 1500 }, inputs: { corpus: corpusDir } });
    const vocabOnly = await mkdtemp(join(tmpdir(), 'vocab-only-'));
    for (const file of ['vocab.txt', 'tokenizer_config.json']) await copyFile(join(outputs.tokenizer!, file), join(vocabOnly, file));
    const fromJson = await loadTokenizer(outputs.tokenizer!);
    const fromVocab = await loadTokenizer(vocabOnly);
    expect(fromVocab.source).toBe('vocab.txt');
    const text = await readFile(join(REPO_ROOT, 'datasets/ncbi-disease/devel.tsv'), 'utf8');
    const sentences = text.trim().split('\n\n').map((block) => block.split('\n').map((line) => line.split('\t')[0]).join(' '));
    const a = await fromJson.tokenizer.encodeBatch(sentences, { addSpecialTokens: true });
    const b = await fromVocab.tokenizer.encodeBatch(sentences, { addSpecialTokens: true });
    expect(sentences).toHaveLength(923);
    expect(b.map((e) => e.getIds())).toEqual(a.map((e) => e.getIds()));
  });
});
