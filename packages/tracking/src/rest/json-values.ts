/**
 * NaN and ±Infinity in JSON, the way MLflow's clients send them: protobuf's JSON mapping for
 * `double` uses the strings "NaN", "Infinity" and "-Infinity" (JSON has no such numbers, and
 * plain JSON.stringify would turn them into null, silently changing the value).
 */
export function stringifyMlflowJson(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    }
    return value;
  });
}

/** Reads a double that may arrive as a number or as "NaN"/"Infinity"/"-Infinity". */
export function parseMlflowDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return Number(value);
}

/** int64 fields may arrive as JSON numbers or (protobuf JSON) as decimal strings. */
export function parseInt64(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return Number(value);
}
