import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StageStatus } from '../sdk/run-events.ts';
import type { PipelineDocument } from '../spec/types.ts';

export interface StageRecord {
  id: string;
  uses: string;
  status: StageStatus;
  key: string | null;
  /** Input name → artifact digest (collections: the collection digest). */
  inputs: Record<string, string>;
  outputs: Record<string, { digest: string; path: string }>;
  seconds: number;
  log?: string;
  error?: string;
  fingerprint?: Record<string, unknown>;
  /** For stages that ran (or failed): why the cache was missed, e.g. `param lr 0.0005 → 0.001`, `never run`. */
  reason?: string;
  /** For cached stages: the run that produced the entry. */
  producedBy?: { runId: string; stageId: string };
}

/** One pipeline run, stored as `<store>/runs/<run-id>.json`. */
export interface RunRecord {
  runId: string;
  pipelineName: string;
  pipelineFile: string;
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt?: string;
  gitCommit?: string;
  /** `--set` overrides given on the command line (already applied in `spec`). */
  overrides: string[];
  /** The pipeline document after overrides: what `tunekit rerun` executes again. */
  spec: PipelineDocument;
  /** The compute path the run took (backend, gemm, native kernels, workers, hints), as printed at its start. */
  runtime?: Record<string, unknown>;
  stages: Record<string, StageRecord>;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

export async function writeRunRecord(runsDir: string, record: RunRecord): Promise<string> {
  await mkdir(runsDir, { recursive: true });
  const file = join(runsDir, `${record.runId}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(record, null, 2) + '\n');
  await rename(temp, file);
  return file;
}

export async function readRunRecord(runsDir: string, runId: string): Promise<RunRecord | undefined> {
  const file = join(runsDir, `${runId}.json`);
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as RunRecord;
}

/** Every run record, oldest first (run ids sort by start time). */
export async function listRunRecords(runsDir: string): Promise<RunRecord[]> {
  if (!existsSync(runsDir)) return [];
  const names = (await readdir(runsDir)).filter((name) => name.endsWith('.json')).sort();
  const records: RunRecord[] = [];
  for (const name of names) {
    try {
      records.push(JSON.parse(await readFile(join(runsDir, name), 'utf8')) as RunRecord);
    } catch {
      // a record being written by another process: skip it
    }
  }
  return records;
}
