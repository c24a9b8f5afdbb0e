/**
 * `tunekit predict` logic on the tiny Hugging Face fixture (untrained: checks the one-prediction-
 * per-word contract and the formats, not accuracy).
 */
import { describe, expect, test } from '@jest/globals';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runPredictCommand } from '../src/commands/predict.ts';
import { parseClassificationPredictions } from '../src/predictions/classification-predictions.ts';
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

/** Words-only output: `word<TAB>pred<TAB>confidence` lines, blank line between sentences. */
async function readWordPredictions(file: string): Promise<{ words: string[]; pred: string[]; confidence: number[] }[]> {
  return (await readFile(file, 'utf8')).trimEnd().split('\n\n').map((block) => {
    const rows = block.split('\n').map((line) => line.split('\t'));
    expect(rows.every((r) => r.length === 3)).toBe(true);
    return { words: rows.map((r) => r[0]!), pred: rows.map((r) => r[1]!), confidence: rows.map((r) => Number(r[2])) };
  });
}

describe('tunekit predict: no word dropped, temperature applied', () => {
  test('a 150-word sentence (the fixture has 64 positions) gets one prediction per word, in order', async () => {
    const dir = await tempDir();
    const words = Array.from({ length: 150 }, (_, i) => ['heart', 'disease', 'germline', 'mutations', 'BRCA1'][i % 5]! + (i % 7 === 0 ? 's' : ''));
    const input = join(dir, 'long.txt');
    await writeFile(input, words.join('\n') + '\n\nshort\nsentence\n');
    const output = join(dir, 'out.tsv');
    const { code, stdout } = await run(['--model', TINY_BERT, '--input', input, '--output', output]);
    expect(code).toBe(0);
    expect(stdout).toContain('152 words in 2 sentences');
    const parsed = await readWordPredictions(output);
    expect(parsed.map((s) => s.words)).toEqual([words, ['short', 'sentence']]);
    expect(parsed[0]!.pred.every((tag) => /^(O|[BI]-(Disease|Chemical))$/.test(tag))).toBe(true);
  });

  test("the model's tunekit_calibration.json temperature divides the logits: same labels, flatter confidences", async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.txt');
    await writeFile(input, 'Germline\nmutations\nin\nBRCA1\ncause\nbreast\ncancer\n.\n');
    const model = join(dir, 'model');
    await (await import('node:fs/promises')).mkdir(model);
    for (const file of ['config.json', 'model.safetensors', 'vocab.txt']) await copyFile(join(TINY_BERT, file), join(model, file));
    await writeFile(join(model, 'tunekit_calibration.json'), JSON.stringify({ temperature: 1000 }));
    const plain = join(dir, 'plain.tsv');
    const scaled = join(dir, 'scaled.tsv');
    expect((await run(['--model', TINY_BERT, '--input', input, '--output', plain])).code).toBe(0);
    const { code, stdout } = await run(['--model', model, '--input', input, '--output', scaled]);
    expect(code).toBe(0);
    expect(stdout).toContain('temperature 1000');
    const [a] = await readWordPredictions(plain);
    const [b] = await readWordPredictions(scaled);
    expect(b!.pred).toEqual(a!.pred);
    // 5 labels: at T = 1000 every softmax is within rounding of 1/5.
    expect(b!.confidence.every((c) => Math.abs(c - 0.2) < 0.005)).toBe(true);
    expect(a!.confidence.some((c) => Math.abs(c - 0.2) >= 0.005)).toBe(true);
  });
});

/** The tiny BERT with a new NEG/ADE sequence-classification head, saved with its vocabulary. */
async function classificationModelDir(): Promise<string> {
  const loader = await import('@tunekit/model-loader');
  await loader.activateBackend('cpu');
  const model = await loader.loadModel(TINY_BERT, { head: 'sequence-classification', labels: ['NEG', 'ADE'], strict: false, seed: 0 });
  const modelDir = await tempDir('tunekit-cls-model-');
  await loader.saveModel(model, modelDir);
  model.dispose();
  await copyFile(join(TINY_BERT, 'vocab.txt'), join(modelDir, 'vocab.txt'));
  return modelDir;
}

describe('tunekit predict (classification, .jsonl)', () => {
  test('one JSON line out per line in, in order; gold kept when the input has a label; probabilities sum to 1', async () => {
    const modelDir = await classificationModelDir();
    const rows = [
      { text: 'The drug caused a severe rash.', label: 'ADE' },
      { text: 'Patients were enrolled in the study.' },
      { text: 'Hepatitis after treatment with the drug, ' + 'again and again '.repeat(40), label: 'NEG' },
    ];
    const dir = await tempDir();
    const input = join(dir, 'in.jsonl');
    await writeFile(input, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const output = join(dir, 'out.jsonl');
    const { code, stdout } = await run(['--model', modelDir, '--input', input, '--output', output]);
    expect(code).toBe(0);
    expect(stdout).toContain('3 examples');
    const text = await readFile(output, 'utf8');
    expect(text.trimEnd().split('\n')).toHaveLength(3);
    const out = parseClassificationPredictions(text, output);
    expect(out.map((r) => r.text)).toEqual(rows.map((r) => r.text));
    expect(out.map((r) => r.gold)).toEqual(['ADE', undefined, 'NEG']);
    for (const r of out) {
      expect(['NEG', 'ADE']).toContain(r.pred);
      const p = r.probabilities!;
      expect(p.NEG! + p.ADE!).toBeCloseTo(1, 6);
      expect(r.confidence).toBeCloseTo(Math.max(p.NEG!, p.ADE!), 6);
    }
  });

  test('a .tsv input with a classification model is a clear error', async () => {
    const modelDir = await classificationModelDir();
    const dir = await tempDir();
    await writeFile(join(dir, 'in.tsv'), 'a\n');
    const { code, stderr } = await run(['--model', modelDir, '--input', join(dir, 'in.tsv'), '--output', join(dir, 'o.tsv')]);
    expect(code).toBe(2);
    expect(stderr).toContain('a sequence-classification model needs a .jsonl file');
  });
});
