import type { TextExample } from '../dataset/types.ts';
import type { RowProblems } from './rows.ts';

/**
 * ADE-Corpus-V2 (Gurulingappa et al. 2012) as sentence classification, from its original files:
 * - `DRUG-AE*.rel`: `PMID|sentence|adverse_effect|begin|end|drug|begin|end`, one row per drug–effect
 *   pair → the distinct sentences are positives (`ADE`);
 * - `ADE-NEG*.txt`: `PMID NEG sentence` → negatives (`NEG`), also one per distinct sentence.
 * Sentences are deduplicated by text within a split (first occurrence kept); the same sentence text
 * never occurs with both labels in the shipped files.
 * Nothing is invented: every example is a sentence of the corpus, labelled by the file it is in.
 */
export const ADE_LABELS = ['NEG', 'ADE'];

export function parseAdeFile(text: string, file: string, seen: Set<string>, problems: RowProblems): TextExample[] {
  const positives = /\.rel$/i.test(file);
  const examples: TextExample[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let sentence: string;
    if (positives) {
      const fields = line.split('|');
      if (fields.length !== 8 || !/^\d+$/.test(fields[0]!) || fields[1]!.trim() === '') {
        problems.report(file, i + 1, `expected 8 |-separated fields PMID|sentence|adverse_effect|begin|end|drug|begin|end (DRUG-AE.rel), found ${fields.length}`);
        return;
      }
      sentence = fields[1]!;
    } else {
      const match = /^(\d+) NEG (.*\S.*)$/.exec(line);
      if (!match) {
        problems.report(file, i + 1, 'expected "PMID NEG sentence" (ADE-NEG.txt)');
        return;
      }
      sentence = match[2]!;
    }
    if (seen.has(sentence)) return;
    seen.add(sentence);
    examples.push({ text: sentence, label: positives ? 'ADE' : 'NEG' });
  });
  return examples;
}
