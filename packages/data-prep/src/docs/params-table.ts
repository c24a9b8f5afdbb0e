import type { StageDefinition } from '@tunekit/pipeline';

type Schema = Record<string, unknown>;

function typeOf(schema: Schema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${v}\``).join(' \\| ');
  if (Array.isArray(schema.oneOf)) return (schema.oneOf as Schema[]).map(typeOf).join(' or ');
  if (schema['x-tunekit-file']) return schema.type === 'string' ? 'file' : 'file or file[]';
  if (schema.type === 'array') return `${typeOf((schema.items ?? {}) as Schema)}[]`;
  return Array.isArray(schema.type) ? schema.type.join(' \\| ') : String(schema.type ?? 'any');
}

/** The Markdown params table of a stage, generated from its JSON schema (the README embeds it; a test keeps them equal). */
export function paramsTable(stage: StageDefinition<never>): string {
  const schema = stage.params as { properties?: Record<string, Schema>; required?: string[] };
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const fallback = required.has(name) ? '(required)' : property.default === undefined ? '—' : `\`${JSON.stringify(property.default)}\``;
    const description = String(property.description ?? '').replace(/\|/g, '\\|');
    return `| \`${name}\` | ${typeOf(property)} | ${fallback} | ${description} |`;
  });
  return ['| param | type | default | description |', '|---|---|---|---|', ...rows].join('\n');
}
