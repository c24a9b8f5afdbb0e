import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScoreCommand } from '../src/commands/score.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tunekit-score-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runScoreCommand(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

// seqeval's docstring example as a predictions file (default F1 0.5; strict F1 0.5 too).
const EXAMPLE = ['a\tO\tO', 'b\tO\tO', 'c\tO\tB-MISC', 'd\tB-MISC\tI-MISC', 'e\tI-MISC\tI-MISC', 'f\tI-MISC\tI-MISC', 'g\tO\tO', '', 'h\tB-PER\tB-PER', 'i\tI-PER\tI-PER', 'j\tO\tO', ''].join('\n');

describe('tunekit score', () => {
  test('--json prints one object with the documented keys and seqeval numbers', async () => {
    const file = join(dir, 'example.tsv');
    await writeFile(file, EXAMPLE);
    const { code, stdout } = await run(['--input', file, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, f1_strict: 0.5, token_accuracy: 0.8 });
    expect(json.per_type).toEqual({
      MISC: { precision: 0, recall: 0, f1: 0, support: 1 },
      PER: { precision: 1, recall: 1, f1: 1, support: 1 },
    });
  });

  test('I- without B- separates the modes: default F1 1.0, strict 0.0', async () => {
    const file = join(dir, 'i-without-b.tsv');
    await writeFile(file, 'x\tB-Disease\tI-Disease\ny\tI-Disease\tI-Disease\n');
    const json = JSON.parse((await run(['--input', file, '--json'])).stdout);
    expect([json.f1, json.f1_strict]).toEqual([1, 0]);
  });

  test('text output follows conlleval: counts, accuracy and per-type lines', async () => {
    const file = join(dir, 'example-text.tsv');
    await writeFile(file, EXAMPLE);
    const { stdout } = await run(['--input', file]);
    expect(stdout).toContain('processed 10 tokens with 2 phrases; found: 2 phrases; correct: 1.');
    expect(stdout).toContain('accuracy:  80.00%; precision:  50.00%; recall:  50.00%; FB1: 50.00');
    expect(stdout).toMatch(/PER: precision: 100\.00%; recall: 100\.00%; FB1: 100\.00 {2}1/);
  });

  test('a line with the wrong column count is an error naming file:line, exit 2', async () => {
    const file = join(dir, 'bad.tsv');
    await writeFile(file, 'a\tO\tO\nb\tO\n');
    const { code, stderr } = await run(['--input', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:2: expected token<TAB>gold<TAB>pred[<TAB>confidence] (3 or 4 tab-separated columns), found 2`);
  });

  test('an invalid tag is an error naming file:line', async () => {
    const file = join(dir, 'bad-tag.tsv');
    await writeFile(file, 'a\tO\tO\n\nb\tDisease\tO\n');
    const { code, stderr } = await run(['--input', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:3: gold tag "Disease" is not O or B-/I-/E-/S-<type>`);
  });

  test('missing --input is a usage error', async () => {
    const { code, stderr } = await run(['--json']);
    expect(code).toBe(2);
    expect(stderr).toContain('--input is required');
  });

  test('NCBI-disease devel scored against itself: F1 1.0 over 787 mentions', async () => {
    const devel = fileURLToPath(new URL('../../../datasets/ncbi-disease/devel.tsv', import.meta.url));
    const text = await readFile(devel, 'utf8');
    const file = join(dir, 'ncbi.tsv');
    await writeFile(file, text.replace(/^([^\t\n]+)\t([^\t\n]+)$/gm, '$1\t$2\t$2'));
    const json = JSON.parse((await run(['--input', file, '--json'])).stdout);
    expect([json.f1, json.f1_strict, json.per_type.Disease.support, json.tokens]).toEqual([1, 1, 787, 23969]);
  });
});

describe('tunekit score through the CLI binary', () => {
  test('`tunekit score --input f --json` prints the JSON object and exits 0', async () => {
    const { execFileSync } = await import('node:child_process');
    const file = join(dir, 'cli.tsv');
    await writeFile(file, EXAMPLE);
    const bin = fileURLToPath(new URL('../../cli/bin/tunekit.js', import.meta.url));
    const stdout = execFileSync(process.execPath, [bin, 'score', '--input', file, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ f1: 0.5, f1_strict: 0.5, token_accuracy: 0.8 });
  });
});
