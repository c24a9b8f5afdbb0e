/**
 * Corpus documents → one Int32Array of the model's own WordPiece ids (HF `tokenizers`, no special
 * tokens), documents separated by −1 so that skip-gram windows never cross them.
 */
import type { LoadedTokenizer } from '@tunekit/data-prep';

export const DOCUMENT_BREAK = -1;

/** At most `maxTokens` ids (0: all; the last document is cut), in corpus order. */
export async function corpusIds(documents: string[], loaded: LoadedTokenizer, maxTokens = 0): Promise<Int32Array> {
  const limit = maxTokens > 0 ? maxTokens : Infinity;
  let ids = new Int32Array(1 << 20);
  let length = 0;
  let tokens = 0;
  const push = (id: number) => {
    if (length === ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    ids[length++] = id;
  };
  const chunk = 256;
  for (let start = 0; start < documents.length && tokens < limit; start += chunk) {
    const encodings = await loaded.tokenizer.encodeBatch(documents.slice(start, start + chunk), { addSpecialTokens: false });
    for (const encoding of encodings) {
      const docIds = encoding.getIds();
      if (docIds.length === 0) continue;
      if (tokens >= limit) break;
      if (length > 0) push(DOCUMENT_BREAK);
      for (const id of docIds.slice(0, Math.max(0, limit - tokens))) push(id);
      tokens += Math.min(docIds.length, limit - tokens);
    }
  }
  return ids.slice(0, length);
}
