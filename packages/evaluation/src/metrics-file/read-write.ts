/** Read, validate, write and merge `metrics.json` files. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS_FILE, METRICS_KINDS, METRICS_SCHEMA_VERSION, METRICS_TASKS, type MetricsFile } from './schema.ts';

function fail(file: string, detail: string): never {
  throw new Error(`${file}: ${detail}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the required fields and the types of the optional ones; returns the value typed. */
export function validateMetricsFile(value: unknown, file: string): MetricsFile {
  if (!isObject(value)) fail(file, 'expected a JSON object');
  if (value.schemaVersion !== METRICS_SCHEMA_VERSION) fail(file, `schemaVersion: expected ${METRICS_SCHEMA_VERSION}, found ${JSON.stringify(value.schemaVersion)}`);
  if (!METRICS_KINDS.includes(value.kind as never)) fail(file, `kind: expected one of ${METRICS_KINDS.join(', ')}, found ${JSON.stringify(value.kind)}`);
  if (typeof value.name !== 'string' || value.name === '') fail(file, 'name: expected a non-empty string');
  if (!METRICS_TASKS.includes(value.task as never)) fail(file, `task: expected one of ${METRICS_TASKS.join(', ')}, found ${JSON.stringify(value.task)}`);
  if (!isObject(value.metrics)) fail(file, 'metrics: expected an object of numbers');
  for (const [key, v] of Object.entries(value.metrics)) {
    if (v !== null && typeof v !== 'number') fail(file, `metrics.${key}: expected a number or null, found ${JSON.stringify(v)}`);
  }
  if (value.k !== undefined && !(Number.isInteger(value.k) && (value.k as number) > 0)) fail(file, 'k: expected a positive integer');
  if (value.history !== undefined) {
    if (!Array.isArray(value.history)) fail(file, 'history: expected an array');
    value.history.forEach((point, i) => {
      if (!isObject(point)) fail(file, `history[${i}]: expected an object`);
      for (const [key, v] of Object.entries(point)) {
        if (typeof v !== 'number') fail(file, `history[${i}].${key}: expected a number`);
      }
    });
  }
  if (value.per_type !== undefined && !isObject(value.per_type)) fail(file, 'per_type: expected an object');
  if (value.entity_types !== undefined && !(Array.isArray(value.entity_types) && value.entity_types.every((t) => typeof t === 'string'))) fail(file, 'entity_types: expected an array of strings');
  if (value.dataset !== undefined && typeof value.dataset !== 'string') fail(file, 'dataset: expected a string');
  if (value.confusion !== undefined) {
    const c = value.confusion;
    if (!isObject(c) || !Array.isArray(c.labels) || !Array.isArray(c.matrix) || c.matrix.length !== c.labels.length) {
      fail(file, 'confusion: expected {labels: string[], matrix: number[][]} with one row per label');
    }
  }
  if (value.forgetting !== undefined) {
    const f = value.forgetting;
    if (!isObject(f) || typeof f.before !== 'number' || typeof f.after !== 'number') fail(file, 'forgetting: expected {corpus, metric, before: number, after: number}');
  }
  return value as unknown as MetricsFile;
}

/** JSON with NaN / ±Infinity written as null (JSON has no such numbers). */
export function metricsToJson(metrics: MetricsFile): string {
  return JSON.stringify(metrics, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

export async function writeMetricsFile(dir: string, metrics: MetricsFile): Promise<string> {
  validateMetricsFile(JSON.parse(metricsToJson(metrics)), join(dir, METRICS_FILE));
  const path = join(dir, METRICS_FILE);
  await writeFile(path, metricsToJson(metrics));
  return path;
}

export async function readMetricsFile(dir: string): Promise<MetricsFile> {
  const path = join(dir, METRICS_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    fail(path, `cannot read metrics (${(error as Error).message})`);
  }
  return validateMetricsFile(parsed, path);
}

/**
 * Entries with the same (kind, name) describe the same thing from different stages (training writes
 * the history, evaluation the test F1): merge them, later files filling or overriding fields.
 */
export function mergeMetricsFiles(files: readonly MetricsFile[]): MetricsFile[] {
  const merged = new Map<string, MetricsFile>();
  for (const file of files) {
    const key = `${file.kind}\u0000${file.name}`;
    const prev = merged.get(key);
    merged.set(
      key,
      prev
        ? {
            ...prev,
            ...file,
            metrics: { ...prev.metrics, ...file.metrics },
            calibration: prev.calibration || file.calibration ? { ...prev.calibration, ...file.calibration } : undefined,
          }
        : file,
    );
  }
  return [...merged.values()];
}
