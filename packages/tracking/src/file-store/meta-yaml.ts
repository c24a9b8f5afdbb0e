/**
 * meta.yaml as MLflow's FileStore writes it: PyYAML `safe_dump(default_flow_style=False,
 * sort_keys=True)`, so keys sorted, strings that would read as numbers quoted ('0'), empty
 * strings as ''. Run status is stored as MLflow's RunStatus integer, source_type as
 * SourceType.LOCAL (4), `tags: []` kept for old MLflow readers.
 */
import YAML from 'yaml';
import type { Experiment, LifecycleStage, RunInfo, RunStatus } from '../client/types.ts';

const STATUS_TO_INT: Record<RunStatus, number> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };
const INT_TO_STATUS = Object.fromEntries(Object.entries(STATUS_TO_INT).map(([k, v]) => [v, k])) as Record<number, RunStatus>;
const SOURCE_TYPE_LOCAL = 4;

const PYYAML_WIDTH = 80;

/** One scalar in YAML 1.1 (PyYAML's dialect): `yes`, `on`, `null`, `~`, dates... get quoted. */
function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (typeof value !== 'string') return String(value);
  const doc = new YAML.Document(value, { version: '1.1' });
  // PyYAML double-quotes strings with control characters.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) (doc.contents as YAML.Scalar).type = 'QUOTE_DOUBLE';
  return doc.toString({ singleQuote: true, lineWidth: 0 }).trimEnd();
}

/**
 * PyYAML's line folding (best_width 80): at a single space, once the column is past 80, the
 * space becomes a line break plus a 2-space indent (plain and single-quoted scalars).
 */
function fold(text: string, startColumn: number): string {
  if (text.startsWith('"')) return text;
  const quoted = text.startsWith("'");
  let out = '';
  let column = startColumn;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const single = ch === ' ' && text[i - 1] !== ' ' && text[i + 1] !== ' ';
    const inside = quoted ? i > 1 && i < text.length - 2 : true;
    if (single && inside && column > PYYAML_WIDTH) {
      out += '\n  ';
      column = 2;
    } else {
      out += ch;
      column++;
    }
  }
  return out;
}

/**
 * A flat meta.yaml mapping exactly as PyYAML's `safe_dump(default_flow_style=False,
 * allow_unicode=True, sort_keys=True)` writes it (checked byte for byte by a cross-check test).
 */
export function stringifyMeta(data: Record<string, unknown>): string {
  return Object.keys(data)
    .sort()
    .map((key) => `${key}: ${fold(scalar(data[key]), key.length + 2)}\n`)
    .join('');
}

export function experimentMeta(experiment: Experiment): Record<string, unknown> {
  return {
    artifact_location: experiment.artifactLocation,
    creation_time: experiment.creationTime ?? null,
    experiment_id: experiment.experimentId,
    last_update_time: experiment.lastUpdateTime ?? null,
    lifecycle_stage: experiment.lifecycleStage,
    name: experiment.name,
  };
}

/** `deletedTime` is written (as null) when a run is created and dropped on later rewrites, as MLflow does. */
export function runMeta(info: RunInfo, options: { includeDeletedTime: boolean }): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    artifact_uri: info.artifactUri,
    end_time: info.endTime ?? null,
    entry_point_name: '',
    experiment_id: info.experimentId,
    lifecycle_stage: info.lifecycleStage,
    run_id: info.runId,
    run_name: info.runName,
    run_uuid: info.runId,
    source_name: '',
    source_type: SOURCE_TYPE_LOCAL,
    source_version: '',
    start_time: info.startTime,
    status: STATUS_TO_INT[info.status],
    tags: [],
    user_id: info.userId,
  };
  if (options.includeDeletedTime) meta.deleted_time = null;
  return meta;
}

function parseYaml(text: string, file: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = YAML.parse(text, { version: '1.1' });
  } catch (error) {
    throw new Error(`${file}: not valid YAML (${(error as Error).message})`);
  }
  if (!data || typeof data !== 'object') throw new Error(`${file}: expected a YAML mapping`);
  return data as Record<string, unknown>;
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

export function parseExperimentMeta(text: string, file: string): Experiment {
  const meta = parseYaml(text, file);
  if (meta.experiment_id === undefined || typeof meta.name !== 'string') {
    throw new Error(`${file}: expected experiment_id and name`);
  }
  return {
    experimentId: String(meta.experiment_id),
    name: meta.name,
    artifactLocation: String(meta.artifact_location ?? ''),
    lifecycleStage: (meta.lifecycle_stage as LifecycleStage) ?? 'active',
    creationTime: optionalNumber(meta.creation_time),
    lastUpdateTime: optionalNumber(meta.last_update_time),
  };
}

export function parseRunMeta(text: string, file: string): RunInfo {
  const meta = parseYaml(text, file);
  const runId = String(meta.run_id ?? meta.run_uuid ?? '');
  if (!runId || meta.experiment_id === undefined) throw new Error(`${file}: expected run_id and experiment_id`);
  const status = meta.status === undefined ? 'RUNNING' : INT_TO_STATUS[Number(meta.status)];
  if (!status) throw new Error(`${file}: unknown run status ${String(meta.status)}`);
  return {
    runId,
    experimentId: String(meta.experiment_id),
    runName: String(meta.run_name ?? ''),
    userId: String(meta.user_id ?? ''),
    status,
    startTime: Number(meta.start_time ?? 0),
    endTime: optionalNumber(meta.end_time),
    artifactUri: String(meta.artifact_uri ?? ''),
    lifecycleStage: (meta.lifecycle_stage as LifecycleStage) ?? 'active',
  };
}
