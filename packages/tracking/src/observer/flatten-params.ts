/**
 * Nested params → MLflow params with dotted keys:
 *   { optimizer: { lr: 5e-4 }, target_modules: ['query', 'value'] }
 *   → optimizer.lr = "0.0005", target_modules = '["query","value"]'
 * Strings are kept as they are; everything else is JSON. Characters MLflow does not allow in
 * keys become `_`; values longer than MLflow's 6000-character limit are cut (with a marker).
 */
import type { KeyValue } from '../client/types.ts';
import { MAX_PARAM_VAL_LENGTH, keyProblem } from '../client/validation.ts';

const TRUNCATED = '...[truncated]';

export function toMlflowKey(key: string): string {
  const cleaned = key.replace(/[^/\w.\- ]/gu, '_');
  return keyProblem(cleaned) ? cleaned.replace(/\/+/g, '_').replace(/^\.+/, '_') : cleaned;
}

export function paramValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_PARAM_VAL_LENGTH ? text.slice(0, MAX_PARAM_VAL_LENGTH - TRUNCATED.length) + TRUNCATED : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
}

export function flattenParams(params: Record<string, unknown> | undefined, prefix = ''): KeyValue[] {
  const out: KeyValue[] = [];
  for (const [k, v] of Object.entries(params ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v)) out.push(...flattenParams(v, key));
    else if (v !== undefined) out.push({ key: toMlflowKey(key), value: paramValue(v) });
  }
  return out;
}
