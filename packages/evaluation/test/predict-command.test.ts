/**
 * `tunekit predict` logic on the tiny Hugging Face fixture (untrained: checks the one-prediction-
 * per-word contract and the formats, not accuracy).
 */
import { describe, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runPredictCommand } from '../src/commands/predict.ts';
import { parseNerPredictions } from '../src/predictions/ner-predictions.ts';
import { TINY_BERT, readConll } from './helpers/artifacts.ts';
import { tempDir } from './helpers/stage-context.ts';

process.env.TUNEKIT_BACKEND = 'cpu';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runPredictCommand(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('tunekit predict (NER)', () => {
  const sentences = readConll('datasets/ncbi-disease/devel.tsv').slice(0, 6);
  const words = sentences.reduce((n, s) => n + s.tokens.length, 0);

  test('word<TAB>gold input → word, gold, pred, confidence per word; blank lines kept; scoreable', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.tsv');
    await writeFile(input, sentences.map((s) => s.tokens.map((t, i) => `${t}\t${s.tags[i]}`).join('\n')).join('\n\n') + '\n');
    const output = join(dir, 'out.tsv');
    const { code, stdout } = await run(['--model', TINY_BERT, '--input', input, '--output', output]);
    expect(code).toBe(0);
    expect(stdout).toContain(`${words} words in 6 sentences`);
    const text = await readFile(output, 'utf8');
    expect(text.split('\n\n')).toHaveLength(6);
    const parsed = parseNerPredictions(text, output);
    expect(parsed.map((s) => s.tokens)).toEqual(sentences.map((s) => s.tokens));
    expect(parsed.map((s) => s.gold)).toEqual(sentences.map((s) => s.tags));
    expect(parsed.every((s) => s.confidence!.every((c) => c > 0 && c <= 1))).toBe(true);
  });

  test('words-only input → word<TAB>pred<TAB>confidence lines, one per word', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.txt');
    await writeFile(input, sentences.map((s) => s.tokens.join('\n')).join('\n\n') + '\n');
    const output = join(dir, 'out.tsv');
    expect((await run(['--model', TINY_BERT, '--input', input, '--output', output])).code).toBe(0);
    const lines = (await readFile(output, 'utf8')).split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(words);
    expect(lines.every((l) => l.split('\t').length === 3)).toBe(true);
    expect(lines.map((l) => l.split('\t')[0])).toEqual(sentences.flatMap((s) => s.tokens));
  });

  test('a line with three columns is an error naming file:line; no output written', async () => {
    const dir = await tempDir();
    const input = join(dir, 'bad.tsv');
    await writeFile(input, 'a\tO\nb\tO\tO\n');
    const { code, stderr } = await run(['--model', TINY_BERT, '--input', input, '--output', join(dir, 'out.tsv')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${input}:2: expected word or word<TAB>gold (1 or 2 tab-separated columns), found 3`);
    await expect(readFile(join(dir, 'out.tsv'))).rejects.toThrow();
  });

  test('a JSONL input with a token-classification model is a clear error', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.jsonl');
    await writeFile(input, '{"text": "x"}\n');
    const { code, stderr } = await run(['--model', TINY_BERT, '--input', input, '--output', join(dir, 'o.jsonl')]);
    expect(code).toBe(2);
    expect(stderr).toContain('a token-classification model needs a word-per-line .tsv file');
  });
});
