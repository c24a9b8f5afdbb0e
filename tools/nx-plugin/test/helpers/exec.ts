/** Run a command to completion and keep its exit code and output, whatever the code. Each command is its own process group. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();

/**
 * This process's environment without the variables of the npm and Nx runs it may be inside
 * (`npm_*`, `NX_*`: the outer workspace's prefix, task and output settings), so that commands run
 * in another workspace behave as if typed there.
 */
function ownEnvironment(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NX_)/i.test(key)));
}

/** Stop the commands still running, with the processes they started (a test that timed out leaves them behind). */
export function stopRunning(): void {
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

export function exec(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...ownEnvironment(), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The output as a person reads it: stdout then stderr, without ANSI colour codes. */
export function shown(result: ExecResult): string {
  return (result.stdout + result.stderr).replace(/\x1b\[[0-9;]*m/g, '');
}
