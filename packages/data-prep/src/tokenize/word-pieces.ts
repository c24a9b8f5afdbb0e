import type { Tokenizer } from 'tokenizers';

/**
 * Sub-token ids of pre-split words, through the library. The Node binding of `tokenizers` (0.23)
 * only accepts strings (no `isPretokenized` word arrays), so each distinct word is encoded on its
 * own — exactly what HF's pre-tokenized path does: every word goes through the normalizer,
 * pre-tokenizer and WordPiece separately. A cache makes repeated words free.
 * A word that normalises to nothing (only control characters) becomes one `[UNK]`, so that no word
 * is ever without a sub-token.
 */
export class WordPieces {
  private readonly cache = new Map<string, Int32Array>();

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly unkId: number,
  ) {}

  /** Encode every word not yet cached, in one native batch. */
  async prepare(words: Iterable<string>): Promise<void> {
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const word of words) {
      if (!this.cache.has(word) && !seen.has(word)) {
        seen.add(word);
        missing.push(word);
      }
    }
    if (missing.length === 0) return;
    const encodings = await this.tokenizer.encodeBatch(missing, { addSpecialTokens: false });
    missing.forEach((word, i) => {
      const ids = encodings[i]!.getIds();
      this.cache.set(word, ids.length > 0 ? Int32Array.from(ids) : Int32Array.of(this.unkId));
    });
  }

  /** Ids of a prepared word. */
  get(word: string): Int32Array {
    const ids = this.cache.get(word);
    if (!ids) throw new Error(`WordPieces: word "${word}" was not prepared`);
    return ids;
  }
}
