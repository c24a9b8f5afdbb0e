/**
 * Corpus text → fixed-length blocks for MLM (HF run_mlm `group_texts` style): documents are
 * tokenized with the model's own tokenizer (HF `tokenizers`), concatenated with [SEP] between
 * documents, and cut into blocks of `blockSize - 2` tokens wrapped as [CLS] … [SEP]. The last,
 * shorter block is kept (padded, masked out by the attention mask).
 */
import type { LoadedTokenizer } from '@tunekit/data-prep';
import type { Rows } from '../data/rows.ts';

export async function corpusBlocks(documents: string[], loaded: LoadedTokenizer, blockSize: number, maxBlocks = Infinity): Promise<Rows> {
  if (blockSize < 3) throw new Error(`pretrain-mlm: block_size must be at least 3, got ${blockSize}`);
  const stream: number[] = [];
  const chunk = 256;
  for (let start = 0; start < documents.length; start += chunk) {
    const encodings = await loaded.tokenizer.encodeBatch(documents.slice(start, start + chunk), { addSpecialTokens: false });
    for (const encoding of encodings) {
      const ids = encoding.getIds();
      if (ids.length === 0) continue;
      if (stream.length > 0) stream.push(loaded.sepId);
      for (const id of ids) stream.push(id);
    }
    if (stream.length / (blockSize - 2) > maxBlocks) break;
  }
  const body = blockSize - 2;
  const numRows = Math.min(maxBlocks, Math.ceil(stream.length / body));
  const inputIds = new Int32Array(numRows * blockSize).fill(loaded.padId);
  const attentionMask = new Int32Array(numRows * blockSize);
  for (let row = 0; row < numRows; row++) {
    const piece = stream.slice(row * body, (row + 1) * body);
    const base = row * blockSize;
    inputIds[base] = loaded.clsId;
    inputIds.set(piece, base + 1);
    inputIds[base + 1 + piece.length] = loaded.sepId;
    attentionMask.fill(1, base, base + piece.length + 2);
  }
  return { numRows, seqLen: blockSize, inputIds, attentionMask, tokenTypeIds: new Int32Array(numRows * blockSize), labelsPerToken: true };
}
