/**
 * `training/pretrain-electra` on a tiny created BERT and a small corpus: the discriminator learns to
 * find replaced tokens (held-out loss below the best constant "always original" predictor's), the
 * outputs load where TuneKit loads models (the discriminator under a new NER head and through
 * `training/fine-tune`; the generator re-measures the held-out loss the stage reported), the
 * unigram baseline is reported, and reruns are byte-identical with 1 and with 2 workers.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel, loadModel, saveModel } from '@tunekit/model-loader';
import { writeManifest } from '@tunekit/pipeline';
import { deriveSeed } from '@tunekit/pipeline/sdk';
import pretrainElectra from '../src/stages/pretrain-electra.ts';
import fineTune from '../src/stages/fine-tune.ts';
import type { ElectraParams } from '../src/electra/params.ts';
import type { FineTuneParams } from '../src/fine-tune/params.ts';
import { corpusBlocks } from '../src/mlm/blocks.ts';
import { heldOutMlmLoss, sparseDecoder } from '../src/mlm/task.ts';
import { loadTokenizer, readCorpusArtifact } from '@tunekit/data-prep';
import { useCpu } from './helpers/backend.ts';
import { encodedArtifact, outputsUnder } from './helpers/artifacts.ts';
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
  const model = createModel({ ...TINY_CONFIG, vocab_size: 120, num_attention_heads: 4 }, 'masked-lm', 5);
  await saveModel(model, dir, { tokenizerFrom: VOCAB_DIR });
  await writeManifest(dir, { kind: 'model', schemaVersion: 1 });
  model.dispose();
  return dir;
}

let corpus: string;
let base: string;
beforeAll(async () => {
  await useCpu();
  corpus = await corpusArtifact();
  base = await createdModel();
});

async function run(extra: Record<string, unknown>) {
  const root = await tempDir();
  await mkdir(join(root, 'scratch'), { recursive: true });
  const params = withDefaults<ElectraParams>(pretrainElectra.params, { block_size: 24, batch_size: 8, learning_rate: 5e-3, warmup_ratio: 0, workers: 1, ...extra });
  const outputs = { ...outputsUnder(root), generator: join(root, 'generator') };
  const { ctx, log } = await stageContext(params, { model: base, corpus }, outputs, join(root, 'scratch'));
  await pretrainElectra.run(ctx);
  const metricsText = await readFile(join(root, 'metrics', 'metrics.json'), 'utf8');
  return { root, log, params, metricsText, metrics: JSON.parse(metricsText) };
}

/** Binary entropy: the loss of the best constant prediction when a fraction p of the tokens is replaced. */
const constantLoss = (p: number) => -(p * Math.log(p) + (1 - p) * Math.log(1 - p));

describe('training/pretrain-electra stage', () => {
  test('a tiny run: the held-out discriminator loss falls below its first value and below the "always original" baseline; metrics report the generator loss vs the unigram baseline', async () => {
    const { metrics, log, root } = await run({ max_steps: 12, batch_size: 16, learning_rate: 1e-2, evaluation: 'steps', eval_steps: 4, keep_best: false });
    const history = metrics.history as Array<Record<string, number>>;
    expect(history.map((h) => h.step)).toEqual([4, 8, 12]);
    const first = history[0]!;
    const last = history.at(-1)!;
    expect(last.eval_discriminator_loss).toBeLessThan(first.eval_discriminator_loss!);
    // Better than the best constant prediction ("always original" at the replaced fraction's odds).
    expect(last.eval_discriminator_loss).toBeLessThan(constantLoss(last.eval_replaced_fraction!));
    expect(last.eval_replaced_auc).toBeGreaterThan(0.5);
    expect(last.eval_generator_loss).toBeLessThan(first.eval_generator_loss!);
    // The joint loss is the generator's plus 50 × the discriminator's.
    for (const h of history) expect(h.eval_loss).toBeCloseTo(h.eval_generator_loss! + 50 * h.eval_discriminator_loss!, 9);
    expect(metrics.unigram_baseline_loss).toBeGreaterThan(1);
    expect(metrics.unigram_baseline_loss).toBeLessThan(Math.log(120));
    expect(metrics.held_out_generator_mlm_loss).toBe(last.eval_generator_loss);
    expect(metrics.generator).toEqual({ hidden_size: 4, num_hidden_layers: 2, num_attention_heads: 1, intermediate_size: 8 });
    expect(log.info.some((m) => /^pretrain-electra: \d+ training blocks, \d+ held-out blocks of 24 tokens$/.test(m))).toBe(true);
    const manifest = JSON.parse(await readFile(join(root, 'model', 'manifest.json'), 'utf8'));
    expect(manifest.pretraining.held_out.generator_mlm_loss).toBe(metrics.held_out_generator_mlm_loss);
    expect(manifest.pretraining.held_out.unigram_baseline_loss).toBe(metrics.unigram_baseline_loss);
    expect(manifest.head).toBe('token-classification');
  }, 900_000);

  test('the generator output re-measures the held-out MLM loss the stage reported (same masks); the discriminator loads under a new NER head and fine-tunes one step', async () => {
    const { metrics, root, params } = await run({ max_steps: 2, evaluation: 'steps', eval_steps: 2 });
    const generator = await loadModel(join(root, 'generator'));
    expect(generator.head).toBe('masked-lm');
    expect(generator.config.embedding_size).toBe(16);
    const loaded = await loadTokenizer(base);
    const { splits } = await readCorpusArtifact(corpus);
    const validation = await corpusBlocks(splits.validation!, loaded, 24, params.max_validation_blocks);
    const masking = { probability: 0.15, maskId: loaded.tokenizer.tokenToId('[MASK]')!, vocabSize: loaded.vocabSize, specialIds: [loaded.clsId, loaded.sepId, loaded.padId] };
    const remeasured = heldOutMlmLoss(generator, sparseDecoder(generator), validation, masking, deriveSeed(42, 0xe7a1), params.eval_batch_size);
    expect(remeasured).toBeCloseTo(metrics.held_out_generator_mlm_loss, 5);
    generator.dispose();

    const ner = await loadModel(join(root, 'model'), { head: 'token-classification', labels: ['O', 'B-Disease', 'I-Disease'] });
    expect(ner.loadReport.dropped).toEqual(['classifier.bias', 'classifier.weight']);
    expect(ner.loadReport.newlyInitialized.sort()).toEqual(['classifier.bias', 'classifier.weight']);
    ner.dispose();
    const ftRoot = await tempDir();
    const ftParams = withDefaults<FineTuneParams>(fineTune.params, { max_steps: 1, batch_size: 8, workers: 1 });
    const { ctx } = await stageContext(ftParams, { model: join(root, 'model'), dataset: await encodedArtifact() }, outputsUnder(ftRoot), join(ftRoot, 'scratch'));
    await fineTune.run(ctx);
    const ft = JSON.parse(await readFile(join(ftRoot, 'metrics', 'metrics.json'), 'utf8'));
    expect(ft.metrics.steps).toBe(1);
    expect(Number.isFinite(ft.metrics.loss)).toBe(true);
  }, 900_000);

  test.each([1, 2])('reruns with %i worker(s) write byte-identical metrics, discriminator and generator', async (workers) => {
    const a = await run({ max_steps: 3, evaluation: 'steps', eval_steps: 3, workers });
    const b = await run({ max_steps: 3, evaluation: 'steps', eval_steps: 3, workers });
    expect(b.metricsText).toBe(a.metricsText);
    for (const file of ['model/model.safetensors', 'generator/model.safetensors']) {
      expect((await readFile(join(b.root, file))).equals(await readFile(join(a.root, file)))).toBe(true);
    }
    expect(a.log.info).toContainEqual(workers === 1 ? 'training on one process (workers: 1)' : expect.stringMatching(/^training on 2 data-parallel replicas/));
  }, 900_000);

  test('a corpus without the validation split is a clear error', async () => {
    await expect(run({ validation_split: 'heldout' })).rejects.toThrow('training/pretrain-electra: the corpus has no split "heldout" for the held-out loss (has: train, validation)');
  });
});

