import { describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import conll from '../../src/stages/conll.ts';
import tokenize from '../../src/stages/tokenize.ts';
import { loadEncodedDataset } from '../../src/encoded/load-encoded.ts';
import { wordValues } from '../../src/encoded/word-positions.ts';
import { REPO_ROOT } from '../helpers/stage-context.ts';
import { runStage } from '../helpers/run-stage.ts';

// The tiny fixture vocabulary always; the builtin model's tokenizer too once `models/biomed-bert-mini/` is committed.
const BUILTIN = join(REPO_ROOT, 'models/biomed-bert-mini');
const tokenizers = [['tiny-bert fixture vocab.txt', join(REPO_ROOT, 'fixtures/tiny-bert')]];
if (existsSync(join(BUILTIN, 'vocab.txt')) || existsSync(join(BUILTIN, 'tokenizer.json'))) tokenizers.push(['builtin biomed-bert-mini', BUILTIN]);

describe.each(tokenizers)('NCBI-disease train+devel round trip through the %s tokenizer at max_length 32', (_name, tokenizerDir) => {
  test('gold sub-token labels mapped back to words equal the original word labels for every sentence', async () => {
    const read = await runStage(conll, {
      params: { train: 'datasets/ncbi-disease/train.tsv', validation: 'datasets/ncbi-disease/devel.tsv' },
      pipelineDir: REPO_ROOT,
    });
    const tokenized = await runStage(tokenize, {
      params: { max_length: 32, stride: 8 },
      inputs: { dataset: read.outputs.dataset!, tokenizer: tokenizerDir! },
    });
    const encoded = await loadEncodedDataset(tokenized.outputs.dataset!);
    expect(encoded.task).toBe('token-classification');
    expect(encoded.labels).toEqual(['O', 'B-Disease', 'I-Disease']);
    const expectations = { train: { sentences: 5424, words: 135701 }, validation: { sentences: 923, words: 23969 } };
    for (const [name, expected] of Object.entries(expectations)) {
      const split = encoded.splits[name]!;
      expect(split.examples).toHaveLength(expected.sentences);
      const perWord = wordValues(split, split.labels); // throws unless every word has exactly one primary position
      let words = 0;
      let mismatches = 0;
      split.examples.forEach((example, s) => {
        const { tags } = example as { tags: string[] };
        words += tags.length;
        const back = Array.from(perWord[s]!, (id) => encoded.labels[id]);
        if (back.join(' ') !== tags.join(' ')) mismatches++;
      });
      expect(words).toBe(expected.words);
      expect(mismatches).toBe(0);
      // max_length 32 forces windows: more rows than sentences.
      expect(split.numRows).toBeGreaterThan(expected.sentences);
      expect(split.seqLen).toBe(32);
    }
    const windowed = tokenized.metrics.find((m) => m.key === 'train_windowedSentences')!.value;
    expect(windowed).toBeGreaterThan(100);
  });
});
