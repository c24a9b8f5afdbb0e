/**
 * NER predictions file (`predictions.tsv` in a `predictions` artifact, and what `tunekit score`
 * reads): one word per line, `word<TAB>gold<TAB>pred<TAB>confidence`, a blank line between
 * sentences. `confidence` (the probability of the predicted tag, in [0, 1]) is optional for
 * scoring; `tunekit predict` on unlabelled input writes `word<TAB>pred<TAB>confidence`.
 */
import { readFile } from 'node:fs/promises';
import { InputFormatError, readColumnSentences } from '../io/read-columns.ts';
import { isValidTag } from '../metrics/ner/tags.ts';

export interface NerPredictionSentence {
  tokens: string[];
  gold: string[];
  pred: string[];
  /** Present when every line of the file has a confidence column. */
  confidence?: number[];
}

export function parseNerPredictions(text: string, file: string): NerPredictionSentence[] {
  const rows = readColumnSentences(text, file, [3, 4], 'token<TAB>gold<TAB>pred[<TAB>confidence]');
  const width = rows[0]?.[0]?.columns.length;
  return rows.map((sentence) => {
    const out: NerPredictionSentence = { tokens: [], gold: [], pred: [] };
    if (width === 4) out.confidence = [];
    for (const { line, columns } of sentence) {
      if (columns.length !== width) throw new InputFormatError(file, line, `expected ${width} columns like the first line, found ${columns.length}`);
      const [token, gold, pred, confidence] = columns as [string, string, string, string?];
      if (!isValidTag(gold)) throw new InputFormatError(file, line, `gold tag "${gold}" is not O or B-/I-/E-/S-<type>`);
      if (!isValidTag(pred)) throw new InputFormatError(file, line, `predicted tag "${pred}" is not O or B-/I-/E-/S-<type>`);
      out.tokens.push(token);
      out.gold.push(gold);
      out.pred.push(pred);
      if (confidence !== undefined) {
        const value = Number(confidence);
        if (confidence.trim() === '' || !(value >= 0 && value <= 1)) {
          throw new InputFormatError(file, line, `confidence "${confidence}" is not a probability in [0, 1]`);
        }
        out.confidence!.push(value);
      }
    }
    return out;
  });
}

export async function readNerPredictions(file: string): Promise<NerPredictionSentence[]> {
  return parseNerPredictions(await readFile(file, 'utf8'), file);
}

/** Confidences are written with 6 decimals: enough for ECE with 15 bins, and stable across runs. */
export function formatNerPredictions(sentences: readonly NerPredictionSentence[]): string {
  return sentences
    .map((s) =>
      s.tokens
        .map((token, i) => [token, s.gold[i], s.pred[i], ...(s.confidence ? [s.confidence[i]!.toFixed(6)] : [])].join('\t'))
        .join('\n'),
    )
    .join('\n\n')
    .concat(sentences.length > 0 ? '\n' : '');
}
