/**
 * The stage plugin contract: what a plugin module exports and what its `run` receives.
 *
 * A stage module must stay light at top level (types, schemas, small helpers): the engine imports
 * it in the parent process to validate params and compute cache keys. Heavy implementation
 * (tfjs, tokenizers, vega) is imported inside `run` with `await import(...)`.
 */

/** A JSON Schema (draft-07 subset understood by ajv) describing one object of params. */
export type JsonSchema = Record<string, unknown>;

/** Declaration of one input or output artifact of a stage. */
export interface ArtifactSlot {
  /** Artifact kind, e.g. `dataset`, `encoded-dataset`, `model`, `metrics`, `report`, `corpus`. */
  kind: string;
  /** One line for docs and `--help`. */
  description?: string;
  /** Inputs only: the stage runs without it. */
  optional?: boolean;
  /**
   * Inputs only: accepts every cell of a matrix stage (`inputs: { models: train[*].model }`).
   * The stage then reads `ctx.inputs.<name>.items` (one entry per cell); a plain reference gives one item.
   */
  collection?: boolean;
}

/** An input artifact as the stage sees it: a read-only directory in the store. */
export interface InputArtifact {
  dir: string;
  digest: string;
  /**
   * Collection inputs only (slot declared `collection: true`): the gathered artifacts, one per
   * matrix cell, in cell order. `dir` is then a directory of `manifest.json` (kind `collection`)
   * plus one symlink per item, and `digest` hashes the items' ids, coordinates and digests.
   */
  items?: CollectionItem[];
}

/** One artifact of a collection input: the producing cell and its artifact. */
export interface CollectionItem {
  /** Producing stage instance, e.g. `train[strategy=lora]`. */
  stageId: string;
  /** Its matrix coordinates, e.g. `{ strategy: 'lora' }`. */
  coords: Record<string, string | number | boolean>;
  dir: string;
  digest: string;
}

/** An output artifact: an empty directory the stage fills; the engine hashes and stores it. */
export interface OutputArtifact {
  dir: string;
}

export interface StageLogger {
  info(message: string): void;
  warn(message: string): void;
  /** A metric for tracking (MLflow semantics: appended with step and timestamp). */
  metric(key: string, value: number, step?: number): void;
  /** Many metrics at one step. */
  metrics(values: Record<string, number>, step?: number): void;
  /** A tag on this stage's tracking run (overwrites). */
  tag(key: string, value: string): void;
  /** A small file (report, metrics JSON) to attach to this stage's tracking run, by absolute path. */
  artifact(path: string): void;
}

/** What a progress update says beyond `done` of `total`; the console shows each field it gets. */
export interface ProgressDetail {
  /** What `done` and `total` count, e.g. `step`, `rows` (default `step`). */
  unit?: string;
  /** Training loss of the latest step. */
  loss?: number;
  /** Throughput since the previous update. */
  tokensPerSecond?: number;
  /** A short free-text note. */
  message?: string;
}

export interface StageProgress {
  /**
   * Report progress: `done` of `total` units (steps, rows), with a short message or structured
   * detail. Call it as often as you like: the stage process forwards a few updates per second.
   */
  update(done: number, total: number, detail?: string | ProgressDetail): void;
}

export interface StageContext<P = Record<string, unknown>> {
  /** The stage instance id, e.g. `train[strategy=lora]`. */
  stageId: string;
  /** Validated params with defaults applied (exactly what was hashed into the cache key). */
  params: P;
  inputs: Record<string, InputArtifact>;
  outputs: Record<string, OutputArtifact>;
  /** The seed this stage receives (pipeline seed unless the stage overrides it). */
  seed: number;
  /** Directory of the pipeline file: relative paths in params are resolved against it. */
  pipelineDir: string;
  /** Workspace root (nearest ancestor with nx.json or .git, else the pipeline dir). */
  workspaceRoot: string;
  /** A private scratch directory that survives a kill (for training checkpoints); keyed by cache key. */
  scratchDir: string;
  log: StageLogger;
  progress: StageProgress;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

export interface StageDefinition<P = Record<string, unknown>> {
  /** What `uses:` names, e.g. `data-prep/conll`. */
  id: string;
  /** Bump when behaviour changes: part of the cache key. */
  version: string;
  description: string;
  /** JSON Schema of `with:` (type `object`); defaults are applied before hashing. */
  params: JsonSchema;
  inputs: Record<string, ArtifactSlot>;
  outputs: Record<string, ArtifactSlot>;
  /**
   * Extra data for the cache key and run record, computed in the parent process before running:
   * e.g. `{ tfjs: '4.22.0', backend: 'wasm' }` for compute stages, or the digest of a file or
   * folder a param points to. Must be cheap and deterministic.
   */
  fingerprint?(params: P, env: { pipelineDir: string; workspaceRoot: string }): Promise<Record<string, unknown>> | Record<string, unknown>;
  run(ctx: StageContext<P>): Promise<void>;
}

/** Declare a stage plugin. Identity function that checks the shape at compile time. */
export function defineStage<P = Record<string, unknown>>(definition: StageDefinition<P>): StageDefinition<P> {
  if (!/^[a-z0-9@][\w.@-]*(\/[\w.-]+)+$/i.test(definition.id)) {
    throw new Error(`defineStage: id "${definition.id}" must look like "<package>/<stage>"`);
  }
  if (!definition.version) throw new Error(`defineStage(${definition.id}): version is required`);
  return definition;
}
