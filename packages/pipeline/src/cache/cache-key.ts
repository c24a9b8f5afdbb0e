import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { CodeComponent } from './code-digest.ts';

/** Version of the key layout itself: bump to invalidate every entry when this list changes. */
export const KEY_FORMAT = 2;

/**
 * Everything a stage's outputs depend on. docs/cache-key.md documents each field; the tests
 * (packages/pipeline/test/cache-key.test.ts, packages/cli/test/cache-invalidation.test.ts) follow it.
 */
export interface CacheKeyComponents {
  format: number;
  /** The plugin's stage id (`uses:`), not the stage's name in the YAML: renaming a stage reruns nothing. */
  stage: string;
  /** Plugin package name + version (local module: path + sha256 of its source; command: `command`). */
  plugin: { name: string; version: string };
  /** The stage definition's `version`. */
  stageVersion: string;
  /** Validated params with defaults applied. */
  params: Record<string, unknown>;
  /** Content digest of each param marked `x-tunekit-file` (file or directory), by its path in `with:`. */
  paramFiles: Record<string, string>;
  /** Digest of each input artifact; a collection input lists `{coords, digest}` per gathered cell. */
  inputs: Record<string, string | { coords: Record<string, unknown>; digest: string }[]>;
  /** The seed the stage receives. */
  seed: number;
  /** Runtime fingerprint: platform + the plugin's own `fingerprint()` (e.g. tfjs version, backend). */
  fingerprint: Record<string, unknown>;
  /**
   * The content of the code the plugin runs (not command stages): every local file of a local
   * module's import graph by workspace path, and each package it reaches (workspace packages by
   * a digest of their sources, third-party ones by version). See cache/code-digest.ts.
   */
  code?: Partial<CodeComponent>;
  /** Command stages: the `run:` argument template and the content digest of each workspace file it names. */
  command?: { run: (string | number)[]; files: Record<string, string> };
}

export function cacheKey(components: CacheKeyComponents): string {
  return createHash('sha256').update(canonicalJson(components)).digest('hex');
}
