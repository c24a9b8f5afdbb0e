/**
 * Canonical JSON: object keys sorted at every level, no whitespace, `undefined` fields dropped.
 * Hand-written (15 lines) rather than a dependency: JSON.stringify already gives ECMAScript's
 * number and string serialisation (what RFC 8785 specifies); only key order needs fixing.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = sortKeys(item);
    }
    return sorted;
  }
  return value;
}
