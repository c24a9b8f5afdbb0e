/** The real `tunekit` CLI in a temp workspace, for kill / resume tests (own process group, so that a kill reaches every process of a run). */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(ROOT, 'packages/cli/bin/tunekit.js');

export interface Workspace {
  dir: string;
  store: string;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunJson {
  runId: string;
  stages: Record<string, { status: string; key: string; outputs: Record<string, { digest: string }> }>;
}

const created: string[] = [];

/** A temp dir with `pipeline.yaml` and the given files copied in; `removeWorkspaces()` deletes them. */
export function workspace(pipeline: string, files: Record<string, string>): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'tunekit-cli-'));
  created.push(dir);
  writeFileSync(join(dir, 'pipeline.yaml'), pipeline);
  for (const [name, source] of Object.entries(files)) copyFileSync(source, join(dir, name));
  return { dir, store: join(dir, 'store') };
}

export function removeWorkspaces(): void {
  created.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
}

/** `tunekit <args> --json` with TUNEKIT_WORKERS=workers; `whileRunning` may kill the whole process group. */
export function tunekit(ws: Workspace, args: string[], workers: number, whileRunning?: (killAll: () => void) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--json'], {
      cwd: ws.dir,
      env: { ...process.env, TUNEKIT_HOME: ws.store, TUNEKIT_TRACKING: '0', TUNEKIT_WORKERS: String(workers), CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    whileRunning?.(() => process.kill(-child.pid!, 'SIGKILL'));
  });
}

export function runJson(run: CliRun): RunJson {
  try {
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as RunJson;
  } catch {
    throw new Error(`no JSON result (exit ${run.code}, signal ${run.signal})\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** The step of the newest checkpoint of any stage in the store's scratch space (0: none yet). */
export function checkpointStep(store: string): number {
  const scratch = join(store, 'scratch');
  if (!existsSync(scratch)) return 0;
  let step = 0;
  for (const key of readdirSync(scratch)) {
    try {
      step = Math.max(step, JSON.parse(readFileSync(join(scratch, key, 'latest.json'), 'utf8')).step as number);
    } catch {
      // no checkpoint yet, or latest.json being replaced
    }
  }
  return step;
}
