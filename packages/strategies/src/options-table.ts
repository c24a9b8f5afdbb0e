/** A Markdown options table generated from a JSON schema (the README tables come from here; a test keeps them in sync). */
import type { JsonSchema } from '@tunekit/pipeline';

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  oneOf?: PropertySchema[];
  items?: PropertySchema;
  default?: unknown;
  /** Annotation: what an option without a schema default resolves to at run time (e.g. "one per core"). */
  'x-default'?: string;
  description?: string;
}

function typeOf(p: PropertySchema): string {
  if (p.enum) return p.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (p.oneOf) return p.oneOf.map(typeOf).join(' \\| ');
  const types = Array.isArray(p.type) ? p.type : p.type ? [p.type] : ['any'];
  return types.map((t) => (t === 'array' && p.items ? `${typeOf(p.items)}[]` : t)).join(' \\| ');
}

export function optionsTable(schema: JsonSchema): string {
  const properties = (schema.properties ?? {}) as Record<string, PropertySchema>;
  if (Object.keys(properties).length === 0) return '_No options._';
  const rows = Object.entries(properties).map(
    ([name, p]) => `| \`${name}\` | ${typeOf(p)} | ${p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : p['x-default'] ?? '(required)'} | ${(p.description ?? '').replace(/\|/g, '\\|')} |`,
  );
  return ['| option | type | default | description |', '|---|---|---|---|', ...rows].join('\n');
}
