import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer, WordPiece, bertNormalizer, bertPreTokenizer } from 'tokenizers';
import { trainWordPiece } from '../../src/tokenizer-training/train-wordpiece.ts';
import { countWords } from '../../src/tokenizer-training/count-words.ts';
import { REPO_ROOT } from '../helpers/stage-context.ts';

const words = new Map([['hug', 10], ['pug', 5], ['pun', 12], ['bun', 4], ['hugs', 5]]);

describe('trainWordPiece (HF WordPieceTrainer algorithm, deterministic ties)', () => {
  test('merges the most frequent pair first; ties go to the smaller pair ids', () => {
    const { vocab, merges, stoppedBy } = trainWordPiece(words, { vocabSize: 100, minFrequency: 0, specialTokens: ['[UNK]'] });
    expect(vocab).toEqual(['[UNK]', 'b', 'h', 'p', '##g', '##n', '##s', '##u', '##ug', '##un', 'hug', 'pun', 'pug', 'hugs', 'bun']);
    expect(merges).toBe(7);
    expect(stoppedBy).toBe('no_pairs');
  });

  test('stops at vocab_size', () => {
    const result = trainWordPiece(words, { vocabSize: 10, minFrequency: 0, specialTokens: ['[UNK]'] });
    expect(result.vocab).toEqual(['[UNK]', 'b', 'h', 'p', '##g', '##n', '##s', '##u', '##ug', '##un']);
    expect(result.stoppedBy).toBe('vocab_size');
  });

  test('stops when the best pair occurs fewer than min_frequency times', () => {
    const result = trainWordPiece(words, { vocabSize: 100, minFrequency: 5, specialTokens: [] });
    expect(result.vocab.slice(-1)).toEqual(['hugs']);
    expect(result.stoppedBy).toBe('min_frequency');
  });

  test("agrees with the tokenizers library's own trainer on GENIA valid (first 1,000 tokens differ by at most 5; HF's own runs differ by ties)", async () => {
    const file = join(REPO_ROOT, 'datasets/genia-pubmed-abstracts/valid.txt');
    const library = new Tokenizer(WordPiece.empty());
    library.setNormalizer(bertNormalizer({ lowercase: true }));
    library.setPreTokenizer(bertPreTokenizer());
    library.train([file]);
    const theirs = Object.entries(library.getVocab(false)).sort((a, b) => a[1] - b[1]).map(([token]) => token);
    const counts = countWords((await readFile(file, 'utf8')).split('\n\n'), bertNormalizer({ lowercase: true }), bertPreTokenizer());
    const ours = trainWordPiece(counts, { vocabSize: 30000, minFrequency: 0, specialTokens: [] }).vocab;
    const firstThousand = new Set(theirs.slice(0, 1000));
    expect(ours.slice(0, 1000).filter((token) => !firstThousand.has(token)).length).toBeLessThanOrEqual(5);
    expect(Math.abs(ours.length - theirs.length)).toBeLessThanOrEqual(12); // 0.1% of ~11,900
  });
});
