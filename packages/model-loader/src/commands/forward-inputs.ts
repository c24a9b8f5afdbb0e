import { StageInputError } from '@tunekit/pipeline';
import type { BertConfig } from '../types.ts';

/** One batch as `tunekit model forward` reads it from inputs.json. */
export interface ForwardInputsFile {
  input_ids: number[][];
  attention_mask?: number[][];
  token_type_ids?: number[][];
}

/** Validate inputs.json against the model config; errors name the file, the field and the position. */
export function parseForwardInputs(raw: unknown, config: BertConfig, label: string): ForwardInputsFile {
  const fail = (problem: string): never => {
    throw new StageInputError(`${label}: ${problem}`);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('expected an object {"input_ids": [[...]], "attention_mask"?: [[...]], "token_type_ids"?: [[...]]}');
  const object = raw as Record<string, unknown>;
  const unknown = Object.keys(object).filter((key) => !['input_ids', 'attention_mask', 'token_type_ids'].includes(key));
  if (unknown.length) fail(`unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')} (expected input_ids, attention_mask, token_type_ids)`);
  const matrix = (field: string, limit: number, what: string): number[][] | undefined => {
    const value = object[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length === 0) return fail(`"${field}" must be a non-empty array of rows`);
    const width = Array.isArray(value[0]) ? value[0].length : -1;
    value.forEach((row: unknown, r: number) => {
      if (!Array.isArray(row) || row.length === 0) fail(`"${field}"[${r}] must be a non-empty array`);
      if ((row as unknown[]).length !== width) fail(`"${field}"[${r}] has ${(row as unknown[]).length} items, row 0 has ${width} (pad the batch to one length)`);
      (row as unknown[]).forEach((item, c) => {
        if (!Number.isInteger(item) || (item as number) < 0 || (item as number) >= limit) fail(`"${field}"[${r}][${c}] is ${JSON.stringify(item)}; expected ${what}`);
      });
    });
    return value as number[][];
  };
  const inputIds = matrix('input_ids', config.vocab_size, `a token id in [0, ${config.vocab_size})`);
  if (!inputIds) return fail('"input_ids" is missing');
  const mask = matrix('attention_mask', 2, '0 or 1');
  const types = matrix('token_type_ids', config.type_vocab_size, `a token type in [0, ${config.type_vocab_size})`);
  const [rows, width] = [inputIds.length, inputIds[0].length];
  for (const [field, value] of [['attention_mask', mask], ['token_type_ids', types]] as const) {
    if (value && (value.length !== rows || value[0].length !== width)) fail(`"${field}" is [${value.length}][${value[0].length}] but input_ids is [${rows}][${width}]`);
  }
  if (width > config.max_position_embeddings) fail(`sequences have ${width} tokens; the model accepts at most max_position_embeddings = ${config.max_position_embeddings}`);
  return { input_ids: inputIds, ...(mask ? { attention_mask: mask } : {}), ...(types ? { token_type_ids: types } : {}) };
}
