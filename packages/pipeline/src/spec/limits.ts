/**
 * Limits on what a pipeline file may ask for, as data (ARCHITECTURE.md "Errors"): each is checked
 * BEFORE the work it bounds (the file's size before reading it, nesting before parsing, alias
 * expansion while converting, a matrix's cell count before expanding it), and exceeding one is a
 * user error naming the file (line:col where there is one). Defaults below; each can be raised
 * per process with its environment variable, or per call with `LoadOptions.limits`.
 */
import { open, stat } from 'node:fs/promises';
import { PipelineError } from './pipeline-error.ts';

export interface Limits {
  /** Cells of one stage's matrix (product of its axis lengths, times the cells it fans out over). */
  matrixCells: number;
  /** Nodes that YAML aliases may expand to while converting the document (yaml's `maxAliasCount`). */
  yamlAliases: number;
  /** Nesting depth of the YAML text (block indentation levels + flow brackets). */
  yamlDepth: number;
  /** Size of the pipeline file in bytes. */
  pipelineFileBytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  matrixCells: 10_000,
  yamlAliases: 1_000,
  yamlDepth: 64,
  pipelineFileBytes: 1024 * 1024,
});

/** Environment variable that overrides each limit. */
export const LIMIT_ENV: Readonly<Record<keyof Limits, string>> = Object.freeze({
  matrixCells: 'TUNEKIT_MAX_MATRIX_CELLS',
  yamlAliases: 'TUNEKIT_MAX_YAML_ALIASES',
  yamlDepth: 'TUNEKIT_MAX_YAML_DEPTH',
  pipelineFileBytes: 'TUNEKIT_MAX_PIPELINE_BYTES',
});

/** Defaults, then environment variables, then `overrides`; a malformed variable is a user error. */
export function resolveLimits(overrides: Partial<Limits> = {}, env: NodeJS.ProcessEnv = process.env): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(LIMIT_ENV) as (keyof Limits)[]) {
    const text = env[LIMIT_ENV[name]];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new PipelineError({ location: LIMIT_ENV[name], message: `expected a positive integer, found "${text}"` });
    }
    limits[name] = value;
  }
  return { ...limits, ...overrides };
}

/**
 * Read a text file that must be a regular file (not a directory, device or FIFO — checked before
 * opening, so `/dev/zero` or a named pipe never blocks) of at most `maxBytes`, as strict UTF-8
 * (a leading BOM is dropped). Problems are user errors naming `shown`.
 */
export async function readLimitedText(path: string, shown: string, maxBytes: number, limitName: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new PipelineError({ location: shown, message: `cannot read pipeline file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
  }
  if (!info.isFile()) throw new PipelineError({ location: shown, message: 'not a regular file' });
  if (info.size > maxBytes) throw new PipelineError({ location: shown, message: `file is ${info.size} bytes, more than the limit of ${maxBytes} (${limitName})` });
  const handle = await open(path, 'r');
  let bytes: Buffer;
  try {
    // Read at most maxBytes + 1: a file that grew after the stat is caught here, not read whole.
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > maxBytes) throw new PipelineError({ location: shown, message: `file is more than the limit of ${maxBytes} bytes (${limitName})` });
    }
    bytes = buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new PipelineError({ location: `${shown}:${lineOfInvalidUtf8(bytes)}`, message: 'invalid UTF-8 (a pipeline file must be UTF-8 text)' });
  }
}

/** `line:col` (col in bytes) of the first byte sequence that is not UTF-8. */
function lineOfInvalidUtf8(bytes: Buffer): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i]!;
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    const valid = length > 0 && i + length <= bytes.length && tryDecode(bytes.subarray(i, i + length));
    if (!valid) return `${line}:${i - lineStart + 1}`;
    if (byte === 0x0a) {
      line++;
      lineStart = i + 1;
    }
    i += length;
  }
  return `${line}:1`;
}

function tryDecode(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
