/**
 * What travels through Redis: one BullMQ job per stage, its result, and the events a worker
 * reports while the stage runs (BullMQ job logs, one JSON object each). Paths inside the store
 * travel relative to the store's root, because each machine mounts the store where it likes.
 */
import { hostname } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { CacheKeyComponents } from '../../cache/cache-key.ts';
import type { InputArtifact } from '../../sdk/define-stage.ts';
import type { StageMessage } from '../executor.ts';

/** The BullMQ queue every coordinator and worker of one Redis database shares. */
export const QUEUE_NAME = 'tunekit-stages';
/** Bump when StageJobData changes shape: a worker refuses jobs of another format. */
export const JOB_FORMAT = 1;

/** A job's id is its cache key: a coordinator that restarts (or a second one) joins the job already queued or running. */
export function jobIdOf(key: string): string {
  return `stage-${key}`;
}

export interface WorkerId {
  host: string;
  pid: number;
}

export function thisProcess(): WorkerId {
  return { host: hostname(), pid: process.pid };
}

export function workerName(worker: WorkerId): string {
  return `${worker.host}:${worker.pid}`;
}

export interface StageJobData {
  format: number;
  runId: string;
  /** The pipeline file relative to the workspace root, and its resolved spec (YAML after `--set`). */
  pipeline: { file: string; text: string };
  stageId: string;
  key: string;
  components: CacheKeyComponents;
  /** Input artifacts with store-relative directories. */
  inputs: Record<string, InputArtifact>;
  /** The stage's log file, store-relative: the worker appends the stage's output to it. */
  logFile: string;
  coordinator: WorkerId;
}

export type StageJobResult = { worker: WorkerId } & ({ ok: true } | { ok: false; error: string; invalidInput?: boolean });

/** One job log line. `claimed`: a worker took the job (attempt counts from 1; `store`: the worker's store root, where it writes the stage's log). */
export type JobEvent =
  | { t: 'claimed'; worker: WorkerId; attempt: number; store?: string }
  | { t: 'out'; source: 'stdout' | 'stderr'; line: string }
  | { t: 'msg'; message: StageMessage };

/** A path inside the store as `store:<relative path>`; anything else stays as it is. */
export function toStoreRelative(path: string, storeRoot: string): string {
  const rel = relative(storeRoot, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return `store:${rel.split(sep).join('/')}`;
}

export function fromStoreRelative(path: string, storeRoot: string): string {
  return path.startsWith('store:') ? join(storeRoot, path.slice('store:'.length)) : path;
}

/** Map every directory of input artifacts (collection items too). */
export function mapInputDirs(inputs: Record<string, InputArtifact>, map: (dir: string) => string): Record<string, InputArtifact> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, artifact]) => [
      name,
      { ...artifact, dir: map(artifact.dir), ...(artifact.items ? { items: artifact.items.map((item) => ({ ...item, dir: map(item.dir) })) } : {}) },
    ]),
  );
}

/** The cache key of the entry a store output directory belongs to (`objects/ab/<key>/outputs/<name>`), if it is one. */
export function entryKeyOf(storeRelative: string): string | undefined {
  return /^store:objects\/[0-9a-f]{2}\/([0-9a-f]{64})\/outputs\//.exec(storeRelative + '/')?.[1];
}
