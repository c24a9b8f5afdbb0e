import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, tempDir } from '../helpers/stage-context.ts';

// The stages as the real engine runs them (`tunekit run`: `uses:` resolution, params validation,
// file hashing, one child process per stage, the store). Small inputs keep it quick.
const PIPELINE = `
name: data-prep-engine-test
seed: 7
stages:
  ner:
    uses: data-prep/conll
    with: { train: devel.tsv, validation_from_train: 0.2 }
  features:
    uses: data-prep/tokenize
    inputs: { dataset: ner.dataset, tokenizer: vocab.tokenizer }
    with: { max_length: 32 }
  text:
    uses: data-prep/corpus
    with: { train: [genia.txt] }
  vocab:
    uses: data-prep/train-tokenizer
    inputs: { corpus: text.corpus }
    with: { vocab_size: 500 }
`;

interface RunJson {
  status: string;
  stages: Record<string, { status: string; outputs: Record<string, { digest: string; path: string }>; error?: string }>;
}

function tunekitRun(dir: string): Promise<{ code: number | null; json: RunJson }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'packages/cli/bin/tunekit.js'), 'run', 'pipeline.yaml', '--json', '--jobs', '2'], {
      cwd: dir,
      env: { ...process.env, TUNEKIT_HOME: join(dir, '.store'), TUNEKIT_TRACKING: '0', CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ code, json: JSON.parse(last) as RunJson });
      } catch {
        reject(new Error(`tunekit run printed no JSON (exit ${code}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

async function workspace() {
  const dir = await tempDir();
  await copyFile(join(REPO_ROOT, 'datasets/ncbi-disease/devel.tsv'), join(dir, 'devel.tsv'));
  await copyFile(join(REPO_ROOT, 'datasets/genia-pubmed-abstracts/valid.txt'), join(dir, 'genia.txt'));
  await writeFile(join(dir, 'pipeline.yaml'), PIPELINE);
  return dir;
}

const statuses = (json: RunJson) => Object.fromEntries(Object.entries(json.stages).map(([id, stage]) => [id, stage.status]));

describe('data-prep stages through `tunekit run`', () => {
  test('run, then all cached, then only the consumers of a changed input file rerun', async () => {
    const dir = await workspace();
    const first = await tunekitRun(dir);
    expect(statuses(first.json)).toEqual({ ner: 'ran', text: 'ran', vocab: 'ran', features: 'ran' });
    const manifest = JSON.parse(await readFile(join(first.json.stages.features!.outputs.dataset!.path, 'manifest.json'), 'utf8'));
    expect(manifest.splits.train.numExamples + manifest.splits.validation.numExamples).toBe(923);

    const second = await tunekitRun(dir);
    expect(statuses(second.json)).toEqual({ ner: 'cached', text: 'cached', vocab: 'cached', features: 'cached' });

    await writeFile(join(dir, 'devel.tsv'), (await readFile(join(dir, 'devel.tsv'), 'utf8')) + 'Extra\tO\n\n');
    const third = await tunekitRun(dir);
    expect(statuses(third.json)).toEqual({ ner: 'ran', text: 'cached', vocab: 'cached', features: 'ran' });
  });

  test('a malformed line fails its stage with file:line, skips its consumers and exits 2', async () => {
    const dir = await workspace();
    await writeFile(join(dir, 'devel.tsv'), 'Heart\tO\ndisease\tI-Disease\n');
    const { code, json } = await tunekitRun(dir);
    expect(code).toBe(2); // invalid input, not a broken stage
    expect(statuses(json)).toEqual({ ner: 'failed', text: 'ran', vocab: 'ran', features: 'skipped' });
    expect(json.stages.ner!.error).toContain(`${join(dir, 'devel.tsv')}:2: expected B-Disease or I-Disease before I-Disease (IOB2), found O`);
    expect(json.stages.ner!.outputs ?? {}).toEqual({});
  });
});
