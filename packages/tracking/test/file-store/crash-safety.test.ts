/** Kill -9 in the middle of logging must leave a store that reads back with no truncated line. */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileStoreClient } from '../../src/file-store/file-store.ts';
import { appendLines, readCommittedLines } from '../../src/file-store/atomic-fs.ts';
import { tempDir } from '../support/temp-dir.ts';

const child = fileURLToPath(new URL('../support/log-forever.ts', import.meta.url));
let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** Starts the logging child, waits until it has logged `minLines` loss values, SIGKILLs it. */
async function killMidLogging(root: string, minLines: number): Promise<string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const runId = await new Promise<string>((resolve, reject) => {
    proc.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    proc.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  const lossFile = join(root, '0', runId, 'metrics', 'loss');
  for (;;) {
    const text = fs.existsSync(lossFile) ? fs.readFileSync(lossFile, 'utf8') : '';
    if (text.split('\n').length > minLines) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const exited = new Promise((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));
  proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return runId;
}

describe('kill -9 while logging', () => {
  test.each([20, 120])('after about %i steps the store reads back whole', async (steps) => {
    const root = join(dir.path, 'mlruns');
    const runId = await killMidLogging(root, steps);
    const runDir = join(root, '0', runId);
    for (const key of fs.readdirSync(join(runDir, 'metrics'), { recursive: true }) as string[]) {
      const file = join(runDir, 'metrics', key);
      if (fs.statSync(file).isDirectory()) continue;
      const text = fs.readFileSync(file, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.slice(0, -1).split('\n')) expect(line).toMatch(/^\d+ -?\d+(\.\d+)?(e[-+]\d+)? \d+$/);
    }
    const run = await new FileStoreClient(root).getRun(runId);
    for (const p of run.params) expect(p.value).toBe(`value-${p.key.slice(1)}`.repeat(20));
    expect(run.tags.find((t) => t.key === 'progress')?.value).toMatch(/^(step \d+ ){50}$/);
    expect(run.info.runName).toMatch(/^killed(-\d+)?$/);
    const steps_ = (await new FileStoreClient(root).getMetricHistory(runId, 'loss')).map((m) => m.step);
    expect(steps_).toEqual(steps_.map((_, i) => i));
  });
});

describe('torn appends', () => {
  test('an unterminated last line is not read, and the next append cuts it off first', () => {
    const file = join(dir.path, 'metric');
    fs.writeFileSync(file, '1 0.5 0\n2 0.2');
    expect(readCommittedLines(file)).toEqual(['1 0.5 0']);
    appendLines(file, ['3 0.1 1']);
    expect(fs.readFileSync(file, 'utf8')).toBe('1 0.5 0\n3 0.1 1\n');
  });

  test('a file holding only a torn line is emptied before appending', () => {
    const file = join(dir.path, 'metric');
    fs.writeFileSync(file, '17000000');
    appendLines(file, ['3 0.1 1']);
    expect(fs.readFileSync(file, 'utf8')).toBe('3 0.1 1\n');
  });
});
