import { DataError } from '../errors/data-error.ts';
import type { TokenExample } from '../dataset/types.ts';
import { convertToIob2, describeValidTags, parseTag, type ParsedTag, type TagScheme } from '../tagging/tag-schemes.ts';

export type ColumnDelimiter = 'auto' | 'tab' | 'whitespace';
export type OnInvalid = 'error' | 'repair';

export interface ConllOptions {
  /** 0-based column of the token. */
  tokenColumn: number;
  /** 0-based column of the tag; negative counts from the end (-1 = last). */
  tagColumn: number;
  delimiter: ColumnDelimiter;
  scheme: TagScheme;
  onInvalid: OnInvalid;
}

export interface ConllRepairs {
  /** Tags rewritten to make the sequence well-formed. */
  ill_formed_tags: number;
  /** Lines dropped because their token was empty. */
  empty_tokens: number;
  /** Lines dropped because they had the wrong number of columns. */
  column_count: number;
}

export interface ConllParseResult {
  sentences: TokenExample[];
  repairs: ConllRepairs;
}

export const DEFAULT_CONLL_OPTIONS: ConllOptions = { tokenColumn: 0, tagColumn: -1, delimiter: 'auto', scheme: 'IOB2', onInvalid: 'error' };

/**
 * Parse a token-per-line file: one `token <sep> ... <sep> tag` line per token, a blank line between
 * sentences, `-DOCSTART-` lines skipped. Tags are converted to IOB2. With `onInvalid: 'error'` the
 * first problem throws a DataError naming `file:line`; with `'repair'` problems are fixed and counted.
 */
export function parseConll(text: string, file: string, options: ConllOptions = DEFAULT_CONLL_OPTIONS): ConllParseResult {
  const repairs: ConllRepairs = { ill_formed_tags: 0, empty_tokens: 0, column_count: 0 };
  const sentences: TokenExample[] = [];
  const lines = text.split('\n');
  let delimiter: 'tab' | 'whitespace' | undefined = options.delimiter === 'auto' ? undefined : options.delimiter;
  let columns: number | undefined;
  let tokens: string[] = [];
  let parsed: ParsedTag[] = [];
  let lineNumbers: number[] = [];

  const fail = (line: number, detail: string) => {
    throw new DataError(file, line, detail);
  };

  const closeSentence = () => {
    if (tokens.length === 0) return;
    const { tags, issues } = convertToIob2(parsed, options.scheme);
    if (issues.length > 0) {
      if (options.onInvalid === 'error') fail(lineNumbers[issues[0]!.index]!, issues[0]!.detail);
      repairs.ill_formed_tags += issues.length;
    }
    sentences.push({ tokens, tags });
    tokens = [];
    parsed = [];
    lineNumbers = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNumber = i + 1;
    if (line.trim() === '') {
      closeSentence();
      continue;
    }
    delimiter ??= line.includes('\t') ? 'tab' : 'whitespace';
    const fields = delimiter === 'tab' ? line.split('\t') : line.trim().split(/\s+/);
    if (fields[options.tokenColumn] === '-DOCSTART-') {
      closeSentence();
      continue;
    }
    columns ??= fields.length;
    const tagIndex = options.tagColumn < 0 ? columns + options.tagColumn : options.tagColumn;
    if (tagIndex < 0 || tagIndex >= columns || options.tokenColumn >= columns || tagIndex === options.tokenColumn) {
      fail(lineNumber, `expected a token column ${options.tokenColumn} and a separate tag column ${options.tagColumn} in ${columns} ${delimiter}-separated column(s)`);
    }
    if (fields.length !== columns) {
      if (options.onInvalid === 'error') {
        fail(lineNumber, `expected ${columns} ${delimiter}-separated columns (as on the file's first token line), found ${fields.length}`);
      }
      repairs.column_count++;
      continue;
    }
    const token = fields[options.tokenColumn]!;
    if (token.trim() === '') {
      if (options.onInvalid === 'error') fail(lineNumber, `expected a non-empty token in column ${options.tokenColumn}`);
      repairs.empty_tokens++;
      continue;
    }
    const rawTag = fields[tagIndex]!.trim();
    const tag = parseTag(rawTag, options.scheme);
    if (!tag) fail(lineNumber, `expected a tag ${describeValidTags(options.scheme)}, found "${rawTag}"`);
    tokens.push(token);
    parsed.push(tag!);
    lineNumbers.push(lineNumber);
  }
  closeSentence();
  return { sentences, repairs };
}
