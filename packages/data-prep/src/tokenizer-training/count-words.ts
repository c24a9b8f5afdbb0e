import type { Normalizer, PreTokenizer } from 'tokenizers';

/**
 * Word frequencies of documents as the tokenizer will see them: each line goes through the
 * library's BERT normalizer and pre-tokenizer (what HF's trainer does with `train_from_files`).
 */
export function countWords(documents: Iterable<string>, normalizer: Normalizer, preTokenizer: PreTokenizer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const document of documents) {
    for (const line of document.split('\n')) {
      if (line.trim() === '') continue;
      for (const [word] of preTokenizer.preTokenizeString(normalizer.normalizeString(line))) {
        counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
  }
  return counts;
}
