import { DataError } from '../errors/data-error.ts';
import type { TextExample } from '../dataset/types.ts';

export type OnInvalidRow = 'error' | 'skip';

/** A problem with one row: thrown as a DataError under `error`, counted under `skip`. */
export class RowProblems {
  skipped = 0;
  constructor(private readonly onInvalid: OnInvalidRow) {}

  report(file: string, line: number, detail: string): void {
    if (this.onInvalid === 'error') throw new DataError(file, line, detail);
    this.skipped++;
  }
}

/** Turn one record's fields into an example, or report what is missing. */
export function exampleFromFields(
  fields: Record<string, unknown>,
  textField: string,
  labelField: string,
  where: { file: string; line: number },
  problems: RowProblems,
): TextExample | undefined {
  const text = fields[textField];
  const label = fields[labelField];
  if (typeof text !== 'string' || text.trim() === '') {
    problems.report(where.file, where.line, `expected a non-empty text in field "${textField}", found ${text === undefined ? 'no such field' : JSON.stringify(text)}`);
    return undefined;
  }
  if ((typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') || String(label).trim() === '') {
    problems.report(where.file, where.line, `expected a non-empty label in field "${labelField}", found ${label === undefined ? 'no such field' : JSON.stringify(label)}`);
    return undefined;
  }
  return { text, label: String(label).trim() };
}
