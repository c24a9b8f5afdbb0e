import { afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = join(here, '..', 'bin', 'tunekit.js');
const FIXTURES = join(here, 'fixtures', 'engine');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The `--json` result object (last stdout line). */
export interface RunJson {
  runId: string;
  status: string;
  stages: Record<string, { status: string; key: string | null; seconds: number; outputs: Record<string, { digest: string; path: string }>; error?: string }>;
}

const created: string[] = [];
/** A temp directory removed when the test file finishes. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A throw-away workspace: the fixture plugins, the fixture npm package under node_modules,
 * the given files, and its own store (TUNEKIT_HOME).
 */
export function fixtureWorkspace(files: Record<string, string> = {}): { dir: string; store: string; write(path: string, content: string): void } {
  const dir = tempDir('tunekit-cli-');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  cpSync(join(FIXTURES, 'plugins'), join(dir, 'plugins'), { recursive: true });
  cpSync(join(FIXTURES, 'copy.mjs'), join(dir, 'copy.mjs'));
  cpSync(join(FIXTURES, 'fixture-package'), join(dir, 'node_modules', 'tunekit-plugin-fixture'), { recursive: true });
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  return { dir, store: join(dir, 'store'), write };
}

/** Run the real `tunekit` binary in `cwd` with its own store. */
export function tunekit(args: string[], options: { cwd: string; store: string; env?: Record<string, string>; onSpawn?: (pid: number) => void }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, TUNEKIT_HOME: options.store, TUNEKIT_TRACKING: '0', CI: '1', NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (child.pid) options.onSpawn?.(child.pid);
  });
}

export function lastJson<T = RunJson>(result: CliResult): T {
  const lines = result.stdout.trim().split('\n');
  try {
    return JSON.parse(lines.at(-1)!) as T;
  } catch {
    throw new Error(`no JSON on the last stdout line (exit ${result.code})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** `tunekit run <file> --json` and its parsed result. */
export async function runJson(file: string, ws: { dir: string; store: string }, extra: string[] = []): Promise<RunJson & { code: number | null; stderr: string }> {
  const result = await tunekit(['run', file, '--json', ...extra], { cwd: ws.dir, store: ws.store });
  return { ...lastJson(result), code: result.code, stderr: result.stderr };
}

export function statuses(run: RunJson): Record<string, string> {
  return Object.fromEntries(Object.entries(run.stages).map(([id, stage]) => [id, stage.status]));
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
