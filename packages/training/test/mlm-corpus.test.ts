/**
 * pretrain-mlm reads its corpus with data-prep's `readCorpusArtifact` (it had a reader of its own
 * that trimmed each document). The pre-training blocks must be the same bytes either way: on the
 * shipped corpora the documents are identical strings (checked once when the readers were unified:
 * 9,519 train + 287 held-out blocks, same sha256), and where the readers differ — leading
 * whitespace of a document, which data-prep keeps — the tokenizer gives the same ids.
 */
import { describe, expect, test } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTokenizer, readCorpusArtifact, writeCorpus } from '@tunekit/data-prep';
import { corpusBlocks } from '../src/mlm/blocks.ts';
import { tempDir } from './helpers/tiny.ts';

const VOCAB_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tiny-vocab');
const DOCUMENTS = [
  'most cases of breast cancer are familial.\nthe gene mutation is responsible for the inherited syndrome.',
  '   ovarian carcinoma is a tumor of the germ line.',
  'cisplatin dose is the risk\n  for heart and liver disease.',
  '\tacute renal failure',
];

describe('pretrain-mlm corpus reading', () => {
  test('blocks from the corpus artifact equal the blocks of the trimmed documents (the former reader), byte for byte', async () => {
    const dir = await tempDir('tunekit-corpus-');
    await writeCorpus(dir, { train: DOCUMENTS, validation: DOCUMENTS.slice(1) }, {});
    const { splits } = await readCorpusArtifact(dir);
    expect(splits.train).toEqual(DOCUMENTS);
    const loaded = await loadTokenizer(VOCAB_DIR);
    const viaArtifact = await corpusBlocks(splits.train!, loaded, 12);
    const trimmed = await corpusBlocks(DOCUMENTS.map((d) => d.trim()), loaded, 12);
    expect(viaArtifact.numRows).toBeGreaterThan(3);
    expect(Buffer.from(viaArtifact.inputIds.buffer).equals(Buffer.from(trimmed.inputIds.buffer))).toBe(true);
    expect(Buffer.from(viaArtifact.attentionMask.buffer).equals(Buffer.from(trimmed.attentionMask.buffer))).toBe(true);
  });
});
