/**
 * A training SIGKILLed after a checkpoint resumes on the next run and ends with the same weights,
 * byte for byte, as an uninterrupted run. The training runs in child processes, like the engine runs stages.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodedArtifact, modelArtifact } from './helpers/artifacts.ts';
import { useCpu } from './helpers/backend.ts';
import { tempDir } from './helpers/tiny.ts';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'helpers', 'fine-tune-child.ts');
const PARAMS = { epochs: 6, batch_size: 8, learning_rate: 5e-3, checkpoint_steps: 3, evaluation: 'steps', eval_steps: 9, keep_best: true };

interface ChildRun {
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(): void;
}

function runChild(args: Record<string, unknown>): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return {
    exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }))),
    kill: () => child.kill('SIGKILL'),
  };
}

async function digestOf(modelDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['model.safetensors', 'tunekit_strategy.safetensors', 'adapter_model.safetensors', 'manifest.json', '../metrics/metrics.json']) hash.update(await readFile(join(modelDir, file)));
  return hash.digest('hex');
}

async function latestStep(scratch: string): Promise<number> {
  try {
    return JSON.parse(await readFile(join(scratch, 'latest.json'), 'utf8')).step as number;
  } catch {
    return 0;
  }
}

let inputs: { model: string; dataset: string };
beforeAll(async () => {
  await useCpu();
  inputs = { model: await modelArtifact({ name: 'lora', config: { r: 2, dropout: 0.1 } }), dataset: await encodedArtifact() };
});

describe.each([1, 2])('kill and resume, %i worker(s)', (workers) => {
  test('SIGKILL after a checkpoint, rerun: resumes from it and reaches the same final weights digest', async () => {
    const params = { ...PARAMS, workers };
    const root = await tempDir();
    const straight = await runChild({ ...inputs, out: join(root, 'a'), scratch: join(root, 'scratch-a'), params }).exit;
    expect(straight.stderr).toBe('');
    expect(straight.code).toBe(0);
    const expected = await digestOf(join(root, 'a', 'model'));

    const scratch = join(root, 'scratch-b');
    const first = runChild({ ...inputs, out: join(root, 'b1'), scratch, params });
    let killedAt = 0;
    const watcher = setInterval(async () => {
      const step = await latestStep(scratch);
      if (step >= 6 && killedAt === 0) {
        killedAt = step;
        first.kill();
      }
    }, 20);
    const killed = await first.exit;
    clearInterval(watcher);
    expect(killed.signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThanOrEqual(6);
    expect(killedAt).toBeLessThan(36);
    expect(existsSync(join(root, 'b1', 'model', 'model.safetensors'))).toBe(false);

    const resumed = await runChild({ ...inputs, out: join(root, 'b2'), scratch, params }).exit;
    expect(resumed.code).toBe(0);
    const info = JSON.parse(resumed.stdout.trim().split('\n').at(-1)!).info as string[];
    expect(info.some((m) => /^resuming test from step \d+$/.test(m))).toBe(true);
    expect(await digestOf(join(root, 'b2', 'model'))).toBe(expected);
  }, 600_000); // three child processes (with 2 workers: each starting its worker threads)
});
