import { describe, expect, test } from '@jest/globals';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import tokenize from '../../src/stages/tokenize.ts';
import { loadEncodedDataset } from '../../src/encoded/load-encoded.ts';
import { loadTokenizer } from '../../src/tokenize/load-tokenizer.ts';
import { REPO_ROOT, directoryDigest, makeContext, tempDir } from '../helpers/stage-context.ts';
import { runStage } from '../helpers/run-stage.ts';
import { textDatasetDir, tokenDatasetDir } from '../helpers/word-datasets.ts';

const TINY_BERT = join(REPO_ROOT, 'fixtures/tiny-bert');
const expected = JSON.parse(await readFile(join(TINY_BERT, 'expected.json'), 'utf8')) as {
  inputs: Array<{ name: string; texts?: string[]; input_ids: number[][] }>;
};

describe('tokenizer loading from vocab.txt (HF tokenizers WordPiece)', () => {
  test('reproduces the input ids Hugging Face BertTokenizer gave for the fixture texts', async () => {
    const { tokenizer } = await loadTokenizer(TINY_BERT);
    for (const batch of expected.inputs.filter((b) => b.texts && typeof b.texts[0] === 'string')) {
      for (const [i, text] of (batch.texts as string[]).entries()) {
        const ids = (await tokenizer.encode(text, null, { addSpecialTokens: true })).getIds();
        expect(ids).toEqual(batch.input_ids[i]!.filter((id) => id !== 0));
      }
    }
  });

  test('lowercase: false keeps case, so capitalised words become [UNK]', async () => {
    const { tokenizer, unkId } = await loadTokenizer(TINY_BERT, { lowercase: false });
    expect((await tokenizer.encode('Heart', null, { addSpecialTokens: false })).getIds()).toEqual([unkId]);
  });
});

describe('data-prep/tokenize rows', () => {
  test('[CLS] sub-tokens [SEP] [PAD], first-sub-token labels, -100 elsewhere, masks and word ids', async () => {
    const dataset = await tokenDatasetDir({ train: [{ tokens: ['Germline', 'mutations', 'BRCA1', 'cancer'], tags: ['O', 'O', 'O', 'B-Disease'] }] });
    const { outputs } = await runStage(tokenize, { params: { max_length: 10 }, inputs: { dataset, tokenizer: TINY_BERT } });
    const split = (await loadEncodedDataset(outputs.dataset!)).splits.train!;
    // germ ##line mutation ##s [UNK](BRCA1) cancer
    expect(Array.from(split.inputIds)).toEqual([2, 76, 115, 58, 99, 1, 54, 3, 0, 0]);
    expect(Array.from(split.attentionMask)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(Array.from(split.tokenTypeIds)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(split.labels)).toEqual([-100, 0, -100, 0, -100, 0, 1, -100, -100, -100]);
    expect(Array.from(split.wordIds!)).toEqual([-1, 0, 0, 1, 1, 2, 3, -1, -1, -1]);
    expect(Array.from(split.primary!)).toEqual([0, 1, 0, 1, 0, 1, 1, 0, 0, 0]);
    expect(Array.from(split.rowSentence!)).toEqual([0]);
  });

  test('label_all_subtokens gives later sub-tokens of a B-X word the I-X label', async () => {
    const dataset = await tokenDatasetDir({ train: [{ tokens: ['Germline', 'mutations'], tags: ['B-Disease', 'I-Disease'] }] });
    const { outputs } = await runStage(tokenize, { params: { max_length: 8, label_all_subtokens: true }, inputs: { dataset, tokenizer: TINY_BERT } });
    const split = (await loadEncodedDataset(outputs.dataset!)).splits.train!;
    expect(Array.from(split.labels)).toEqual([-100, 1, 2, 2, 2, -100, -100, -100]);
  });

  test('sequence classification: truncate to max_length, one label id per row', async () => {
    const dataset = await textDatasetDir({ train: [{ text: 'Heart disease.', label: 'yes' }, { text: 'Germline mutations in the gene cause cancer', label: 'no' }] }, ['no', 'yes']);
    const { outputs, metrics } = await runStage(tokenize, { params: { max_length: 6 }, inputs: { dataset, tokenizer: TINY_BERT } });
    const encoded = await loadEncodedDataset(outputs.dataset!);
    expect(encoded.task).toBe('sequence-classification');
    const split = encoded.splits.train!;
    expect(Array.from(split.inputIds)).toEqual([2, 66, 53, 5, 3, 0, 2, 76, 115, 58, 99, 3]);
    expect(Array.from(split.attentionMask)).toEqual([1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(split.labels)).toEqual([1, 0]);
    expect(split.wordIds).toBeUndefined();
    expect(metrics.find((m) => m.key === 'train_truncatedRows')!.value).toBe(1);
  });

  test('the same inputs give byte-identical artifacts (digest)', async () => {
    const dataset = await tokenDatasetDir({ train: [{ tokens: ['Heart', 'disease', '.'], tags: ['B-Disease', 'I-Disease', 'O'] }] });
    const first = await runStage(tokenize, { params: { max_length: 6, stride: 1 }, inputs: { dataset, tokenizer: TINY_BERT } });
    const second = await runStage(tokenize, { params: { max_length: 6, stride: 1 }, inputs: { dataset, tokenizer: TINY_BERT } });
    expect(await directoryDigest(second.outputs.dataset!)).toBe(await directoryDigest(first.outputs.dataset!));
  });

  test('a tokenizer folder without tokenizer.json or vocab.txt fails and leaves no artifact', async () => {
    const dataset = await tokenDatasetDir({ train: [{ tokens: ['a'], tags: ['O'] }] });
    const empty = await tempDir();
    await writeFile(join(empty, 'config.json'), '{}');
    const { ctx, outputDir } = await makeContext(tokenize, { params: {}, inputs: { dataset, tokenizer: empty } });
    await expect(tokenize.run(ctx)).rejects.toThrow(`${empty}: expected a tokenizer.json or vocab.txt in the tokenizer/model artifact`);
    expect(await readdir(outputDir('dataset'))).toEqual([]);
  });
});

describe('encodeSentences (unlabeled words, as tunekit predict needs)', () => {
  test('same rows and primary positions as the stage, labels all -100', async () => {
    const { encodeSentences } = await import('../../src/tokenize/tokenize-dataset.ts');
    const { wordValues } = await import('../../src/encoded/word-positions.ts');
    const loaded = await loadTokenizer(TINY_BERT);
    const split = await encodeSentences([['Germline', 'mutations', 'BRCA1', 'cancer'], ['Heart', 'disease', '.']], loaded, { maxLength: 6, stride: 1 });
    expect(split.numRows).toBe(2 + 1); // [germ ##line mutation ##s] [[UNK] cancer], [heart disease .]
    expect(Array.from(split.labels).every((label) => label === -100)).toBe(true);
    expect(wordValues(split, split.inputIds).map((ids) => Array.from(ids))).toEqual([[76, 58, 1, 54], [66, 53, 5]]);
    expect(split.examples[1]).toEqual({ tokens: ['Heart', 'disease', '.'], tags: [] });
  });
});

describe('model limits', () => {
  test('max_length above the model\'s max_position_embeddings is refused before any work', async () => {
    const dataset = await tokenDatasetDir({ train: [{ tokens: ['a'], tags: ['O'] }] });
    const { ctx, outputDir } = await makeContext(tokenize, { params: { max_length: 65 }, inputs: { dataset, tokenizer: TINY_BERT } });
    await expect(tokenize.run(ctx)).rejects.toThrow("max_length 65 exceeds the model's max_position_embeddings 64");
    expect(await readdir(outputDir('dataset'))).toEqual([]);
  });
});
