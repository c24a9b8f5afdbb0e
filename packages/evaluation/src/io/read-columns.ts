/**
 * Reads token-per-line files: tab-separated columns, a blank line between sentences,
 * `-DOCSTART-` lines skipped. Every row must have the expected number of columns; a bad row is an
 * error naming `file:line`.
 */

export interface ColumnRow {
  /** 1-based line number in the file. */
  line: number;
  columns: string[];
}

export class InputFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

/**
 * Split `text` into sentences of rows. `columns` lists the accepted column counts
 * (e.g. [3, 4] for `token gold pred [confidence]`).
 */
export function readColumnSentences(text: string, file: string, columns: readonly number[], describe: string): ColumnRow[][] {
  const sentences: ColumnRow[][] = [];
  let current: ColumnRow[] = [];
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') {
      if (current.length > 0) sentences.push(current);
      current = [];
      return;
    }
    if (raw.startsWith('-DOCSTART-')) return;
    const fields = raw.split('\t');
    if (!columns.includes(fields.length)) {
      throw new InputFormatError(file, line, `expected ${describe} (${columns.join(' or ')} tab-separated columns), found ${fields.length}`);
    }
    if (fields[0] === '') throw new InputFormatError(file, line, 'empty token');
    current.push({ line, columns: fields });
  });
  if (current.length > 0) sentences.push(current);
  return sentences;
}
