/** Config validation with ajv: the same JSON schema fills defaults, validates and generates the README tables. */
import { Ajv } from 'ajv';
import type { JsonSchema } from '@tunekit/pipeline';

const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });

export function validateConfig<C>(schema: JsonSchema, config: Record<string, unknown>, what: string): C {
  const copy = structuredClone(config);
  const validate = ajv.compile(schema);
  if (!validate(copy)) {
    const details = (validate.errors ?? []).map((e) => `${e.instancePath || '(config)'} ${e.message}`).join('; ');
    throw new Error(`${what}: invalid config: ${details}`);
  }
  return copy as C;
}
