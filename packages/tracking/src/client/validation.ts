/**
 * MLflow's rules for names and values (mlflow/utils/validation.py): keys may only contain
 * alphanumerics, underscores, dashes, periods, spaces and slashes; `/` nests; a key must not
 * change under POSIX path normalisation (no `a//b`, `./a`, `../a`, `/a`, trailing `/`).
 */
import { INVALID_PARAMETER_VALUE, TrackingError } from './errors.ts';
import type { KeyValue, LogBatchRequest, Metric } from './types.ts';

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const MAX_ENTITY_KEY_LENGTH = 250;
export const MAX_PARAM_VAL_LENGTH = 6000;
export const MAX_TAG_VAL_LENGTH = 8000;

const VALID_KEY = /^[/\w.\- ]*$/u;
const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;

/** Python's posixpath.normpath, which MLflow uses to check keys ('a/' → 'a', 'a//b' → 'a/b'). */
export function pythonNormpath(path: string): string {
  if (path === '') return '.';
  const initialSlashes = path.startsWith('//') && !path.startsWith('///') ? 2 : path.startsWith('/') ? 1 : 0;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (initialSlashes === 0 && parts.length === 0) || parts[parts.length - 1] === '..') parts.push(part);
    else if (parts.length > 0) parts.pop();
  }
  const joined = '/'.repeat(initialSlashes) + parts.join('/');
  return joined || '.';
}

export type KeyKind = 'metric' | 'parameter' | 'tag' | 'artifact path';

export function keyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key === '') return 'A key name must be provided.';
  if (!VALID_KEY.test(key)) {
    return 'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).';
  }
  const norm = pythonNormpath(key);
  if (norm !== key || norm === '.' || norm.startsWith('..') || norm.startsWith('/')) {
    return `Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'`;
  }
  if (key.length > MAX_ENTITY_KEY_LENGTH) {
    return `Key had length ${key.length}, which exceeded length limit of ${MAX_ENTITY_KEY_LENGTH}`;
  }
  return undefined;
}

export function validateKey(kind: KeyKind, key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new TrackingError(INVALID_PARAMETER_VALUE, `Invalid ${kind} name: '${key}'. ${problem}`);
}

export function validateRunId(runId: string): void {
  if (!RUN_ID.test(runId)) throw new TrackingError(INVALID_PARAMETER_VALUE, `Invalid run ID: '${runId}'`);
}

export function validateMetric(metric: Metric): void {
  validateKey('metric', metric.key);
  if (typeof metric.value !== 'number') {
    throw new TrackingError(
      INVALID_PARAMETER_VALUE,
      `Got invalid value ${String(metric.value)} for metric '${metric.key}'. Please specify value as a valid double (64-bit floating point)`,
    );
  }
  if (!Number.isInteger(metric.timestamp) || metric.timestamp < 0) {
    throw new TrackingError(
      INVALID_PARAMETER_VALUE,
      `Got invalid timestamp ${metric.timestamp} for metric '${metric.key}'. Timestamp must be a nonnegative long (64-bit integer)`,
    );
  }
  if (!Number.isInteger(metric.step)) {
    throw new TrackingError(
      INVALID_PARAMETER_VALUE,
      `Got invalid step ${metric.step} for metric '${metric.key}'. Step must be a valid long (64-bit integer).`,
    );
  }
}

export function validateParam(param: KeyValue): void {
  validateKey('parameter', param.key);
  if (param.value.length > MAX_PARAM_VAL_LENGTH) {
    throw new TrackingError(
      INVALID_PARAMETER_VALUE,
      `Param value '${param.value.slice(0, 250)}' had length ${param.value.length}, which exceeded length limit of ${MAX_PARAM_VAL_LENGTH}`,
    );
  }
}

export function validateTag(tag: KeyValue): void {
  validateKey('tag', tag.key);
  if (tag.value.length > MAX_TAG_VAL_LENGTH) {
    throw new TrackingError(
      INVALID_PARAMETER_VALUE,
      `Tag value '${tag.value.slice(0, 250)}' had length ${tag.value.length}, which exceeded length limit of ${MAX_TAG_VAL_LENGTH}`,
    );
  }
}

function batchLimit(entity: string, limit: number, length: number): void {
  if (length > limit) {
    throw new TrackingError(
      INVALID_PARAMETER_VALUE,
      `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. Please split up ${entity} across multiple requests and try again.`,
    );
  }
}

/** What a single log-batch call may contain (the REST client splits larger batches first). */
export function validateBatch(batch: LogBatchRequest): void {
  const metrics = batch.metrics ?? [];
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  metrics.forEach(validateMetric);
  params.forEach(validateParam);
  tags.forEach(validateTag);
  batchLimit('metrics', MAX_METRICS_PER_BATCH, metrics.length);
  batchLimit('params', MAX_PARAMS_TAGS_PER_BATCH, params.length);
  batchLimit('tags', MAX_PARAMS_TAGS_PER_BATCH, tags.length);
  batchLimit('metrics, params, and tags', MAX_ENTITIES_PER_BATCH, metrics.length + params.length + tags.length);
  const seen = new Set<string>();
  const dupes = params.filter((p) => (seen.has(p.key) ? true : (seen.add(p.key), false))).map((p) => p.key);
  if (dupes.length > 0) {
    throw new TrackingError(
      INVALID_PARAMETER_VALUE,
      `Duplicate parameter keys have been submitted: ${JSON.stringify(dupes)}. Please ensure the request contains only one param value per param key.`,
    );
  }
}
