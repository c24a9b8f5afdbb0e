import type { YamlPath } from './yaml-source.ts';

export type Scalar = string | number | boolean;

/** A pipeline file as written (after `--set` overrides), validated against the pipeline schema. */
export interface PipelineDocument {
  name?: string;
  description?: string;
  experiment?: string;
  seed?: number;
  params?: Record<string, unknown>;
  tracking?: { uri?: string };
  /** Where cache entries live: a directory (relative to the pipeline file) or `s3://bucket/prefix`. */
  store?: string;
  /** Who runs uncached stages: `local` (default) or `redis://host:6379[/db]`; `--executor` and TUNEKIT_EXECUTOR win over it. */
  executor?: string;
  stages: Record<string, StageDocument>;
}

export interface StageDocument {
  uses: string;
  description?: string;
  with?: Record<string, unknown>;
  inputs?: Record<string, string>;
  matrix?: Record<string, Scalar[]>;
  cache?: boolean;
  seed?: number;
  run?: (string | number)[];
  outputs?: string[];
}

/** `stage.output` (one artifact, fans out over matrix cells), `stage[*].output` (all cells), `stage[k=v].output` (one cell). */
export interface InputReference {
  stage: string;
  output: string;
  /** `undefined`: follow the matrix (fan out); `'*'`: gather every cell; an object: that one cell. */
  select?: '*' | Record<string, string>;
  text: string;
}

/** Where an input of a stage instance comes from, after matrix expansion. */
export type InstanceInput =
  | { kind: 'single'; stageId: string; output: string }
  | { kind: 'gather'; items: { stageId: string; coords: Record<string, Scalar> }[]; output: string };

/** One runnable stage after `${...}` interpolation and matrix expansion. */
export interface StageInstance {
  /** `train` or, for a matrix cell, `train[strategy=lora]`. */
  id: string;
  /** The stage's key under `stages:`. */
  name: string;
  /** Matrix coordinates of this cell (own matrix plus those inherited from upstream cells). */
  coords: Record<string, Scalar>;
  uses: string;
  description?: string;
  /** Raw `with:` values (interpolated, not yet validated). */
  with: Record<string, unknown>;
  inputs: Record<string, InstanceInput>;
  seed: number;
  cache: boolean;
  run?: (string | number)[];
  outputs?: string[];
  /** Path of the stage in the YAML document (for error positions). */
  yamlPath: YamlPath;
}
