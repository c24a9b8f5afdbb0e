import type { TextExample } from '../dataset/types.ts';
import { exampleFromFields, type RowProblems } from './rows.ts';

/** JSON Lines: one object per line with a text and a label field; blank lines ignored. */
export function parseJsonl(text: string, file: string, textField: string, labelField: string, problems: RowProblems): TextExample[] {
  const examples: TextExample[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      problems.report(file, i + 1, `expected one JSON object per line (${(error as Error).message})`);
      return;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      problems.report(file, i + 1, `expected a JSON object, found ${Array.isArray(record) ? 'an array' : typeof record}`);
      return;
    }
    const example = exampleFromFields(record as Record<string, unknown>, textField, labelField, { file, line: i + 1 }, problems);
    if (example) examples.push(example);
  });
  return examples;
}
