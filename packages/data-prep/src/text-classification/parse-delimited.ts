import { parse } from 'csv-parse/sync';
import { DataError } from '../errors/data-error.ts';
import type { TextExample } from '../dataset/types.ts';
import { exampleFromFields, type RowProblems } from './rows.ts';

/**
 * CSV or TSV with a header row naming the columns (RFC 4180 quoting, parsed by `csv-parse`).
 * A structurally broken file (bad quoting, wrong column count) is always an error naming the line.
 */
export function parseDelimited(text: string, file: string, delimiter: ',' | '\t', textField: string, labelField: string, problems: RowProblems): TextExample[] {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, { columns: true, info: true, skip_empty_lines: true, delimiter, bom: true, quote: delimiter === '\t' ? false : '"' });
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    throw new DataError(file, lines, `expected ${delimiter === ',' ? 'CSV' : 'TSV'} with a header row: ${message}`);
  }
  const examples: TextExample[] = [];
  for (const { record, info } of records) {
    const example = exampleFromFields(record, textField, labelField, { file, line: info.lines }, problems);
    if (example) examples.push(example);
  }
  return examples;
}
