import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel, loadModel, saveModel } from '@tunekit/model-loader';
import { writeManifest } from '@tunekit/pipeline';
import pretrainMlm from '../src/stages/pretrain-mlm.ts';
import type { PretrainParams } from '../src/mlm/params.ts';
import { useCpu } from './helpers/backend.ts';
import { stageContext, withDefaults } from './helpers/stage-context.ts';
import { tempDir, TINY_CONFIG } from './helpers/tiny.ts';

const VOCAB_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tiny-vocab');
const SENTENCES = [
  'most cases of breast cancer are familial.',
  'the patients with acute renal failure were induced by the drug.',
  'ovarian carcinoma is a tumor of the germ line.',
  'cisplatin dose is the risk for heart and liver disease.',
  'the gene mutation is responsible for the inherited syndrome.',
];

async function corpusArtifact(): Promise<string> {
  const dir = await tempDir('tunekit-corpus-');
  const docs = (n: number, offset: number) => Array.from({ length: n }, (_, i) => [0, 1, 2].map((k) => SENTENCES[(i + k + offset) % SENTENCES.length]).join(' ')).join('\n\n') + '\n';
  await writeFile(join(dir, 'train.txt'), docs(24, 0));
  await writeFile(join(dir, 'validation.txt'), docs(6, 2));
  await writeManifest(dir, { kind: 'corpus', schemaVersion: 1, splits: { train: { file: 'train.txt', documents: 24 }, validation: { file: 'validation.txt', documents: 6 } } });
  return dir;
}

async function createdModel(): Promise<string> {
  const dir = await tempDir('tunekit-created-');
  const model = createModel({ ...TINY_CONFIG, vocab_size: 120 }, 'masked-lm', 5);
  await saveModel(model, dir, { tokenizerFrom: VOCAB_DIR });
  await writeManifest(dir, { kind: 'model', schemaVersion: 1 });
  model.dispose();
  return dir;
}

beforeAll(() => useCpu());

async function run(extra: Record<string, unknown>, model?: string) {
  const root = await tempDir();
  await mkdir(join(root, 'scratch'), { recursive: true });
  const params = withDefaults<PretrainParams>(pretrainMlm.params, { block_size: 24, batch_size: 8, learning_rate: 5e-3, warmup_ratio: 0, workers: 1, ...extra });
  const { ctx, log } = await stageContext(params, { model: model ?? (await createdModel()), corpus: await corpusArtifact() }, { model: join(root, 'model'), metrics: join(root, 'metrics') }, join(root, 'scratch'));
  await pretrainMlm.run(ctx);
  return { root, log, metrics: JSON.parse(await readFile(join(root, 'metrics', 'metrics.json'), 'utf8')) };
}

describe('training/pretrain-mlm stage', () => {
  test('pre-trains a created BERT: held-out MLM loss falls below its first value and is reported', async () => {
    const { metrics, log, root } = await run({ epochs: 3, evaluation: 'epoch' });
    const losses = metrics.history.map((h: { eval_loss: number }) => h.eval_loss);
    expect(losses).toHaveLength(3);
    expect(Math.min(...losses.slice(1))).toBeLessThan(losses[0]);
    expect(losses[0]).toBeLessThan(Math.log(120) + 1);
    expect(metrics.held_out_mlm_loss).toBe(Math.min(...losses));
    expect(log.info.some((m) => /^pretrain-mlm: \d+ training blocks, \d+ held-out blocks of 24 tokens$/.test(m))).toBe(true);
    const model = await loadModel(join(root, 'model'));
    expect(model.head).toBe('masked-lm');
    expect(model.config.architectures).toEqual(['BertForMaskedLM']);
    model.dispose();
    expect(await readFile(join(root, 'model', 'vocab.txt'), 'utf8')).toBe(await readFile(join(VOCAB_DIR, 'vocab.txt'), 'utf8'));
  });

  test('continues from a checkpoint: every weight, the MLM head included, is loaded (an lr≈0 step keeps its held-out loss)', async () => {
    const first = await run({ epochs: 1 });
    // Same corpus, seed and held-out masks; one step with a negligible learning rate leaves the weights as loaded.
    const continued = await run({ max_steps: 1, learning_rate: 1e-30 }, join(first.root, 'model'));
    expect(continued.metrics.history).toHaveLength(1);
    expect(continued.metrics.held_out_mlm_loss).toBeCloseTo(first.metrics.held_out_mlm_loss, 6);
    const fresh = await run({ max_steps: 1, learning_rate: 1e-30 });
    expect(Math.abs(fresh.metrics.held_out_mlm_loss - first.metrics.held_out_mlm_loss)).toBeGreaterThan(0.05);
  });

  test('a corpus without the validation split is a clear error', async () => {
    await expect(run({ validation_split: 'heldout' })).rejects.toThrow('training/pretrain-mlm: the corpus has no split "heldout" for the held-out loss (has: train, validation)');
  });
});
