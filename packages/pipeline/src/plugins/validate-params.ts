import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { JsonSchema } from '../sdk/define-stage.ts';
import { createAjv, describeAjvError, pointerToPath, valueAt } from '../util/ajv.ts';

const ajv = createAjv({ useDefaults: true });
const compiled = new WeakMap<object, ValidateFunction>();

export interface ParamProblem {
  /** Path inside `with:` of the offending value. */
  path: (string | number)[];
  message: string;
}

/** The compiled validator of a params schema (cached); throws ajv's error for an invalid schema. */
export function compileParamsSchema(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** A param value that names a file or folder (`"x-tunekit-file": true` in its schema). */
export interface ParamFile {
  /** Path inside `with:` (e.g. `["train"]` or `["files", 0]`). */
  path: (string | number)[];
  /** As written (relative to the pipeline directory). */
  value: string;
  absolute: string;
}

/**
 * Validate a stage's `with:` against its plugin's params schema, applying defaults (on a copy).
 * Defaults are filled BEFORE hashing, so writing a default explicitly does not change the key.
 */
export function validateParams(schema: JsonSchema, raw: Record<string, unknown>): { params: Record<string, unknown>; problems: ParamProblem[] } {
  const validate = compileParamsSchema(schema);
  const params = structuredClone(raw);
  if (validate(params)) return { params, problems: [] };
  const problems = (validate.errors ?? []).map((error) => {
    let path: (string | number)[] = pointerToPath(error.instancePath);
    if (error.keyword === 'additionalProperties') path = [...path, String((error.params as { additionalProperty: string }).additionalProperty)];
    return { path, message: describeAjvError(error, valueAt(params, pointerToPath(error.instancePath))) };
  });
  return { params, problems };
}

/** Walk schema and value together, collecting values whose schema says `"x-tunekit-file": true`. */
export function collectParamFiles(schema: JsonSchema, value: unknown, pipelineDir: string, path: (string | number)[] = []): ParamFile[] {
  const found: ParamFile[] = [];
  if (schema['x-tunekit-file'] === true && typeof value === 'string') {
    found.push({ path, value, absolute: resolve(pipelineDir, value) });
  }
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, sub] of Object.entries(properties)) {
      if (key in value) found.push(...collectParamFiles(sub, (value as Record<string, unknown>)[key], pipelineDir, [...path, key]));
    }
  }
  const items = schema.items as JsonSchema | undefined;
  if (items && typeof items === 'object' && !Array.isArray(items) && Array.isArray(value)) {
    value.forEach((item, i) => found.push(...collectParamFiles(items, item, pipelineDir, [...path, i])));
  }
  for (const combinator of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[combinator] as JsonSchema[] | undefined;
    if (!Array.isArray(options)) continue;
    const seen = new Set(found.map((file) => file.path.join('/')));
    for (const option of options) {
      for (const file of collectParamFiles(option, value, pipelineDir, path)) {
        if (!seen.has(file.path.join('/'))) {
          seen.add(file.path.join('/'));
          found.push(file);
        }
      }
    }
  }
  return found;
}

export function missingParamFiles(files: ParamFile[]): ParamFile[] {
  return files.filter((file) => !existsSync(file.absolute));
}
