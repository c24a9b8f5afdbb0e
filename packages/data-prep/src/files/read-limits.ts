/** Limits of the text readers, as data: the stages' `max_file_mb` / `max_line_length` params (no imports: stage modules stay light). */

/** Bounds on what a reader buffers; the stages take them as `max_file_mb` and `max_line_length`. */
export interface ReadLimits {
  /** Largest file read, in bytes (for `.gz`, also the largest decompressed size). */
  maxBytes: number;
  /** Longest line, in characters (UTF-16 code units). */
  maxLineLength: number;
}

export const DEFAULT_MAX_FILE_MB = 256;
export const DEFAULT_MAX_LINE_LENGTH = 1_000_000;
export const DEFAULT_READ_LIMITS: ReadLimits = { maxBytes: DEFAULT_MAX_FILE_MB * 1024 * 1024, maxLineLength: DEFAULT_MAX_LINE_LENGTH };

/** Schema fragment of the limit params every reader stage takes (one definition, one README row each). */
export const READ_LIMIT_PARAMS = {
  max_file_mb: {
    type: 'number',
    exclusiveMinimum: 0,
    maximum: 480,
    default: DEFAULT_MAX_FILE_MB,
    description: 'Largest input file read, in MiB (for .gz: also the decompressed size); a larger file is an error naming it. Raise it (up to 480) for bigger data.',
  },
  max_line_length: {
    type: 'integer',
    minimum: 1,
    default: DEFAULT_MAX_LINE_LENGTH,
    description: 'Longest line accepted, in characters; a longer line (a binary or one-line file) is an error with file:line.',
  },
} as const;

export function readLimits(params: { max_file_mb?: number; max_line_length?: number }): ReadLimits {
  return {
    maxBytes: Math.floor((params.max_file_mb ?? DEFAULT_MAX_FILE_MB) * 1024 * 1024),
    maxLineLength: params.max_line_length ?? DEFAULT_MAX_LINE_LENGTH,
  };
}

