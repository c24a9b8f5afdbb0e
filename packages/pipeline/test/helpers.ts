import { afterAll } from '@jest/globals';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPipeline, type LoadOptions } from '../src/spec/load-pipeline.ts';
import { isPipelineError } from '../src/spec/pipeline-error.ts';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory with the given files (path → content), removed after the test file. */
export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tunekit-spec-'));
  created.push(dir);
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export async function load(yaml: string, options: LoadOptions = {}) {
  const dir = workspace({ 'pipeline.yaml': yaml });
  return loadPipeline(join(dir, 'pipeline.yaml'), options);
}

/** The pipeline error messages (with `file:line:col`, file name only) for an invalid pipeline. */
export async function loadErrors(yaml: string, options: LoadOptions = {}): Promise<string[]> {
  try {
    await load(yaml, options);
  } catch (error) {
    if (!isPipelineError(error)) throw error;
    return error.issues.map((issue) => `${issue.location.replace(/^.*\//, '')}: ${issue.message}`);
  }
  throw new Error('expected the pipeline to be invalid');
}
