import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/**
 * One ajv instance per purpose. `useDefaults` fills plugin params defaults before hashing;
 * `strict: false` tolerates annotation keywords (`x-tunekit-file`, `x-*`) in plugin schemas.
 */
export function createAjv(options: { useDefaults?: boolean } = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: options.useDefaults ?? false });
  addFormats(ajv);
  return ajv;
}

/** A readable sentence for one ajv error: what was expected, and what was found. */
export function describeAjvError(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `expected ${String(params.type)}, found ${describeValue(value)}`;
    case 'required':
      return `missing required field "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `unknown field "${String(params.additionalProperty)}"`;
    case 'enum':
      return `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, found ${describeValue(value)}`;
    case 'const':
      return `expected ${JSON.stringify(params.allowedValue)}, found ${describeValue(value)}`;
    case 'pattern':
      return `expected a string matching ${String(params.pattern)}, found ${describeValue(value)}`;
    case 'propertyNames':
      return `invalid name: ${error.message ?? ''}`;
    default:
      return `${error.message ?? 'invalid value'}${value === undefined ? '' : `, found ${describeValue(value)}`}`;
  }
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Decode a JSON pointer (`/a/b~1c`) into path segments. */
export function pointerToPath(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment as string];
  }
  return node;
}
