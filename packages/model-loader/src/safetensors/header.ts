import { ModelFileError } from '../files/model-file-error.ts';
import { DTYPE_SIZES, isDtype, type Dtype } from './dtypes.ts';

/** The reference implementation refuses headers above 100 MB; so do we. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface TensorEntry {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Byte range relative to the start of the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  metadata: Record<string, string> | undefined;
  /** Entries in file (offset) order. */
  entries: TensorEntry[];
  /** Absolute offset of the first data byte (8 + header length). */
  dataStart: number;
}

/**
 * Parse and validate a safetensors header against the total file size. Follows the checks of the
 * reference implementation (`safetensors` crate, `SafeTensors::read_metadata` + `validate`):
 * header length within bounds, UTF-8 JSON object, known dtypes, byte length = shape product × dtype
 * size, and the ranges tile the data section exactly (sorted, no overlap, no gap, ending at EOF).
 * `label` names the file in error messages; every problem is a ModelFileError.
 */
export function parseHeader(prefix: Uint8Array, fileSize: number, label: string): SafetensorsHeader {
  const fail = (problem: string): never => {
    throw new ModelFileError(label, `invalid safetensors file: ${problem}`);
  };
  if (fileSize < 8 || prefix.byteLength < 8) fail(`file is ${fileSize} bytes, shorter than the 8-byte header length`);
  const declared = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) fail(`header length ${declared} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const headerLength = Number(declared);
  if (8 + headerLength > fileSize) fail(`header length ${headerLength} runs past the end of the file (${fileSize} bytes)`);
  if (headerLength < 2) fail(`header length ${headerLength} is too small for a JSON object`);
  if (prefix.byteLength < 8 + headerLength) fail('header bytes were not read completely');

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(prefix.subarray(8, 8 + headerLength));
  } catch {
    return fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail('header does not start with "{"');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`header is not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('header is not a JSON object');

  const dataSize = fileSize - 8 - headerLength;
  let metadata: Record<string, string> | undefined;
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(value, fail);
      continue;
    }
    entries.push(parseEntry(name, value, fail));
  }

  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const entry of entries) {
    if (entry.begin < expected) fail(`tensor "${entry.name}" bytes [${entry.begin}, ${entry.end}) overlap the previous tensor (ends at ${expected})`);
    if (entry.begin > expected) fail(`gap in the data section: bytes [${expected}, ${entry.begin}) belong to no tensor (before "${entry.name}")`);
    if (entry.end > dataSize) fail(`tensor "${entry.name}" bytes [${entry.begin}, ${entry.end}) run past the data section (${dataSize} bytes)`);
    expected = entry.end;
  }
  if (expected !== dataSize) fail(`data section is ${dataSize} bytes but the tensors cover ${expected} (trailing bytes or a missing tensor)`);
  return { metadata, entries, dataStart: 8 + headerLength };
}

function parseMetadata(value: unknown, fail: (problem: string) => never): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('"__metadata__" must be an object of strings');
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') fail(`"__metadata__.${key}" must be a string, found ${JSON.stringify(item)}`);
    out[key] = item as string;
  }
  return out;
}

function parseEntry(name: string, value: unknown, fail: (problem: string) => never): TensorEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`tensor "${name}": entry must be an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isDtype(dtype)) fail(`tensor "${name}": unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPE_SIZES).join(', ')})`);
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(`tensor "${name}": shape must be an array of non-negative integers, found ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(`tensor "${name}": data_offsets must be [begin, end] non-negative integers, found ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  if (end < begin) fail(`tensor "${name}": data_offsets [${begin}, ${end}] end before they begin`);
  let elements = 1;
  for (const dim of shape as number[]) {
    elements *= dim;
    if (!Number.isSafeInteger(elements)) fail(`tensor "${name}": shape ${JSON.stringify(shape)} has too many elements`);
  }
  const bytes = elements * DTYPE_SIZES[dtype as Dtype];
  if (!Number.isSafeInteger(bytes)) fail(`tensor "${name}": shape ${JSON.stringify(shape)} is too large`);
  if (bytes !== end - begin) {
    fail(`tensor "${name}": ${dtype} ${JSON.stringify(shape)} needs ${bytes} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { name, dtype: dtype as Dtype, shape: shape as number[], begin, end };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
