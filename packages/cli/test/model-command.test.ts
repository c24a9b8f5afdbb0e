/**
 * `tunekit model forward|inspect` (issue 18, findings 2 and 6c): a training output that carries a
 * strategy runs with it (logits equal to the training-time model's), a plain load refuses such a
 * folder, and a bad model folder is one line naming the file, exit 2, no stack.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import * as tf from '@tensorflow/tfjs-core';
import { activateBackend, createModel, isModelFileError, runModelForward, saveModel, type BertModel } from '@tunekit/model-loader';
import { applyStrategy, writeStrategyState } from '@tunekit/strategies';
import { main } from '../src/main.ts';
import { tempDir } from './helpers.ts';

const CONFIG = {
  model_type: 'bert', vocab_size: 50, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 32,
  hidden_act: 'gelu', max_position_embeddings: 32, type_vocab_size: 2, layer_norm_eps: 1e-12,
  hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, pad_token_id: 0,
} as const;
const INPUT_IDS = [[2, 7, 9, 11, 3, 0], [2, 14, 5, 3, 0, 0]];
const MASK = [[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 0, 0]];

beforeAll(async () => {
  await activateBackend('cpu');
});

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write(chunk, _enc, done) { append(String(chunk)); done(); } });
  const code = await main(argv, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), cwd: process.cwd() });
  return { code, stdout, stderr };
}

function logits(model: BertModel): number[][][] {
  return tf.tidy(() => model.forward({ inputIds: tf.tensor2d(INPUT_IDS, undefined, 'int32'), attentionMask: tf.tensor2d(MASK, undefined, 'int32') }).logits!.arraySync() as number[][][]);
}

function maxAbsDiff(a: number[][][], b: number[][][]): number {
  return Math.max(...a.flat(2).map((value, i) => Math.abs(value - b.flat(2)[i]!)));
}

/** A training output as training/fine-tune writes it: model files + the strategy with trained (here: perturbed) weights. */
async function trainingOutput(strategy: 'lora' | 'adapter'): Promise<{ dir: string; expected: number[][][] }> {
  const model = createModel(CONFIG, 'token-classification', 3, { labels: ['O', 'B-X', 'I-X'] });
  const { applied } = applyStrategy(model, strategy, {}, { seed: 5 });
  applied.addedParams.forEach((name, i) => {
    const v = model.params.get(name)!;
    const next = tf.randomNormal(v.shape, 0, 0.3, 'float32', 11 + i);
    v.assign(next);
    next.dispose();
  });
  const dir = tempDir(`tunekit-forward-${strategy}-`);
  await saveModel(model, dir);
  await writeStrategyState(dir, model, applied, 5);
  await applied.exportFiles?.(dir, { baseModelNameOrPath: 'test' });
  const expected = logits(model);
  model.dispose();
  return { dir, expected };
}

describe('tunekit model forward on a training output with a strategy', () => {
  test.each(['lora', 'adapter'] as const)('%s: applies it; logits equal the training-time model\'s', async (strategy) => {
    const { dir, expected } = await trainingOutput(strategy);
    const io = tempDir('tunekit-forward-io-');
    writeFileSync(join(io, 'in.json'), JSON.stringify({ input_ids: INPUT_IDS, attention_mask: MASK }));
    const out = join(io, 'out.json');
    const result = await cli(['model', 'forward', dir, '--input', join(io, 'in.json'), '--output', out, '--backend', 'cpu']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`applied strategy "${strategy}"`);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { logits: number[][][] };
    expect(maxAbsDiff(written.logits, expected)).toBeLessThan(1e-6);
  });

  test('a plain load (runModelForward without a strategy loader) refuses the folder instead of ignoring the strategy', async () => {
    const { dir } = await trainingOutput('lora');
    const io = tempDir('tunekit-forward-io-');
    writeFileSync(join(io, 'in.json'), JSON.stringify({ input_ids: INPUT_IDS }));
    const error = await runModelForward({ modelDir: dir, inputPath: join(io, 'in.json'), outputPath: join(io, 'out.json'), backend: 'cpu' }).catch((e: unknown) => e);
    expect(isModelFileError(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^${join(dir, 'tunekit_strategy.json')}: this model folder carries a strategy`));
  });
});

describe('tunekit model inspect / forward on a bad model folder', () => {
  test.each([
    ['an empty config.json', 'config.json', (dir: string) => writeFileSync(join(dir, 'config.json'), '')],
    ['a truncated model.safetensors', 'model.safetensors', (dir: string) => writeFileSync(join(dir, 'model.safetensors'), readFileSync(join(dir, 'model.safetensors')).subarray(0, 100))],
    ['a directory as model.safetensors', 'model.safetensors', (dir: string) => { rmSync(join(dir, 'model.safetensors')); mkdirSync(join(dir, 'model.safetensors')); }],
  ])('%s: one line naming the file, exit 2, no stack', async (_what, file, corrupt) => {
    const model = createModel(CONFIG, 'none', 1);
    const dir = tempDir('tunekit-bad-model-');
    await saveModel(model, dir);
    model.dispose();
    corrupt(dir);
    const io = tempDir('tunekit-forward-io-');
    writeFileSync(join(io, 'in.json'), JSON.stringify({ input_ids: INPUT_IDS }));
    for (const argv of [['model', 'inspect', dir], ['model', 'forward', dir, '--input', join(io, 'in.json'), '--output', join(io, 'o.json'), '--backend', 'cpu']]) {
      const result = await cli(argv);
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr.startsWith(`${join(dir, file)}: `)).toBe(true);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
