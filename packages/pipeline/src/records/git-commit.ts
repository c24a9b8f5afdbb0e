import { execFileSync } from 'node:child_process';

/** `git rev-parse HEAD` in `dir`, or undefined outside a repository / without git. */
export function gitCommit(dir: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}
