/**
 * training/pretrain-embeddings on a tiny created BERT (the 120-token fixture vocabulary) and a
 * small corpus: which rows change, their scale, the model it writes, determinism, errors.
 * Needs @tunekit/native's skipgram kernel (skipped where the addon is absent unless TUNEKIT_NATIVE=1).
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTokenizer } from '@tunekit/data-prep';
import { createModel, loadModel, saveModel } from '@tunekit/model-loader';
import { loadSkipgram } from '@tunekit/native';
import { readManifest, writeManifest } from '@tunekit/pipeline';
import pretrainEmbeddings from '../src/stages/pretrain-embeddings.ts';
import type { EmbeddingParams } from '../src/embeddings/params.ts';
import { WORD_EMBEDDINGS } from '../src/embeddings/run.ts';
import { useCpu } from './helpers/backend.ts';
import { stageContext, withDefaults } from './helpers/stage-context.ts';
import { tempDir, TINY_CONFIG } from './helpers/tiny.ts';

const suite = loadSkipgram() || process.env.TUNEKIT_NATIVE === '1' ? describe : describe.skip;

const VOCAB_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tiny-vocab');
const SENTENCES = [
  'most cases of breast cancer are familial.',
  'the patients with acute renal failure were induced by the drug.',
  'ovarian carcinoma is a tumor of the germ line.',
  'cisplatin dose is the risk for heart and liver disease.',
  'the gene mutation is responsible for the inherited syndrome.',
];
const DIM = TINY_CONFIG.hidden_size;

async function corpusArtifact(): Promise<string> {
  const dir = await tempDir('tunekit-corpus-');
  const docs = Array.from({ length: 40 }, (_, i) => [0, 1, 2].map((k) => SENTENCES[(i + k) % SENTENCES.length]).join(' ')).join('\n\n') + '\n';
  await writeFile(join(dir, 'train.txt'), docs);
  await writeFile(join(dir, 'validation.txt'), 'heart\n');
  await writeManifest(dir, { kind: 'corpus', schemaVersion: 1, splits: { train: { file: 'train.txt', documents: 40 }, validation: { file: 'validation.txt', documents: 1 } } });
  return dir;
}

async function createdModel(): Promise<string> {
  const dir = await tempDir('tunekit-created-');
  const model = createModel({ ...TINY_CONFIG, vocab_size: 120 }, 'masked-lm', 5);
  await saveModel(model, dir, { tokenizerFrom: VOCAB_DIR });
  await writeManifest(dir, { kind: 'model', schemaVersion: 1, source: 'test:created' });
  model.dispose();
  return dir;
}

async function embeddings(dir: string): Promise<Float32Array> {
  const model = await loadModel(dir);
  const values = (model.params.get(WORD_EMBEDDINGS)!.dataSync() as Float32Array).slice();
  model.dispose();
  return values;
}

/** Occurrences of each id in the corpus' train split, tokenized with the model's tokenizer. */
async function corpusCounts(modelDir: string, corpusDir: string): Promise<Int32Array> {
  const loaded = await loadTokenizer(modelDir);
  const counts = new Int32Array(120);
  const text = await readFile(join(corpusDir, 'train.txt'), 'utf8');
  for (const document of text.trim().split('\n\n')) for (const id of (await loaded.tokenizer.encodeBatch([document], { addSpecialTokens: false }))[0]!.getIds()) counts[id]!++;
  return counts;
}

beforeAll(() => useCpu());

async function run(extra: Partial<EmbeddingParams> = {}, inputs?: { model: string; corpus: string }) {
  const root = await tempDir();
  const model = inputs?.model ?? (await createdModel());
  const corpus = inputs?.corpus ?? (await corpusArtifact());
  await mkdir(join(root, 'scratch'), { recursive: true });
  const params = withDefaults<EmbeddingParams>(pretrainEmbeddings.params, { epochs: 2, sample: 0, ...extra });
  const { ctx, log } = await stageContext(params, { model, corpus }, { model: join(root, 'model'), metrics: join(root, 'metrics') }, join(root, 'scratch'));
  await pretrainEmbeddings.run(ctx);
  return { root, log, model, corpus, out: join(root, 'model'), metrics: JSON.parse(await readFile(join(root, 'metrics', 'metrics.json'), 'utf8')) };
}

suite('training/pretrain-embeddings stage', () => {
  test('replaces the word-embedding rows of corpus tokens seen ≥ min_count, leaves every other row and parameter bit-identical', async () => {
    const { model, corpus, out, metrics } = await run({ min_count: 3 });
    const counts = await corpusCounts(model, corpus);
    const [before, after] = [await embeddings(model), await embeddings(out)];
    const changed = (id: number) => before.subarray(id * DIM, (id + 1) * DIM).some((v, c) => v !== after[id * DIM + c]);
    const specials = [0, 1, 2, 3, 4];
    const trained = [...counts.keys()].filter((id) => counts[id]! >= 3 && !specials.includes(id));
    const untouched = [...counts.keys()].filter((id) => !trained.includes(id));
    expect(trained.length).toBeGreaterThan(30);
    expect(untouched.filter((id) => counts[id]! === 0).length).toBeGreaterThan(20); // ids the corpus never uses
    expect(trained.filter((id) => !changed(id))).toEqual([]);
    expect(untouched.filter(changed)).toEqual([]);
    expect(metrics.trained_ids).toBe(trained.length);
    // Every other parameter, the tied MLM head's included, is the input's.
    const [input, output] = [await loadModel(model), await loadModel(out)];
    expect(output.head).toBe('masked-lm');
    for (const name of input.params.keys()) {
      if (name === WORD_EMBEDDINGS) continue;
      expect([name, Buffer.from((output.params.get(name)!.dataSync() as Float32Array).buffer).equals(Buffer.from((input.params.get(name)!.dataSync() as Float32Array).buffer))]).toEqual([name, true]);
    }
    input.dispose();
    output.dispose();
  });

  test('the trained rows are centred and scaled to target_std (default: the config initializer_range, 0.02)', async () => {
    const inputs = { model: await createdModel(), corpus: await corpusArtifact() };
    const counts = await corpusCounts(inputs.model, inputs.corpus);
    const trained = [...counts.keys()].filter((id) => counts[id]! >= 3 && id > 4);
    for (const [params, std] of [[{}, 0.02], [{ target_std: 0.05 }, 0.05]] as const) {
      const { out, metrics } = await run(params, inputs);
      const after = await embeddings(out);
      const values = trained.flatMap((id) => Array.from(after.subarray(id * DIM, (id + 1) * DIM)));
      for (let c = 0; c < DIM; c++) expect(Math.abs(trained.reduce((sum, id) => sum + after[id * DIM + c]!, 0) / trained.length)).toBeLessThan(1e-8);
      expect(Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length)).toBeCloseTo(std, 7);
      expect(metrics.target_std).toBe(std);
    }
  });

  test('is deterministic: a rerun writes byte-identical weights and metrics; another seed does not', async () => {
    const inputs = { model: await createdModel(), corpus: await corpusArtifact() };
    const [a, b] = [await run({}, inputs), await run({}, inputs)];
    const bytes = async (dir: string) => [await readFile(join(dir, 'model', 'model.safetensors')), await readFile(join(dir, 'metrics', 'metrics.json'))];
    const [fa, fb] = [await bytes(a.root), await bytes(b.root)];
    expect(fa[0]!.equals(fb[0]!)).toBe(true);
    expect(fa[1]!.equals(fb[1]!)).toBe(true);
    const c = await run({ window: 4 }, inputs);
    expect((await bytes(c.root))[0]!.equals(fa[0]!)).toBe(false);
  });

  test('metrics.json and the manifest record the run; the log names nearest neighbours of the probes', async () => {
    const { out, metrics, log } = await run({ probe_tokens: ['cancer', 'mutation', 'cisplatin', 'zebra'] });
    expect(metrics).toMatchObject({ objective: 'skip-gram negative sampling (word2vec)', epochs: 2, dim: DIM, window: 5, negative: 5, min_count: 3, vocab_size: 120, seed: 42 });
    expect(metrics.corpus_tokens).toBeGreaterThan(1000);
    expect(metrics.train_words_per_epoch).toBeLessThanOrEqual(metrics.corpus_tokens);
    expect(Object.keys(metrics.quality.neighbours)).toEqual(['cancer', 'mutation']);
    expect(metrics.quality.neighbours.cancer).toHaveLength(5);
    expect(metrics.quality.missing).toEqual(['cisplatin', 'zebra']); // two word pieces; not in the vocabulary
    expect(metrics.quality.mean_nearest_cosine).toBeGreaterThan(metrics.quality.mean_random_pair_cosine);
    expect(metrics).not.toHaveProperty('seconds'); // wall time goes to tracking: metrics.json is a function of the inputs
    expect(log.info.some((m) => /^ {2}cancer: \S+ -?\d\.\d{3}, /.test(m))).toBe(true);
    expect(log.metrics.some((m) => typeof m.values.tokens_per_s === 'number' && typeof m.values.train_seconds === 'number')).toBe(true);
    expect((await readManifest(out, 'model'))).toMatchObject({ source: 'test:created', embedding_pretraining: { trained_ids: metrics.trained_ids, corpus_tokens: metrics.corpus_tokens } });
  });

  test('max_tokens cuts the corpus; a missing split is a clear error', async () => {
    const { metrics } = await run({ max_tokens: 300, min_count: 1 });
    expect(metrics.corpus_tokens).toBe(300);
    expect(metrics.documents).toBeGreaterThan(1); // the documents the 300 tokens come from, not the split's 40
    expect(metrics.documents).toBeLessThan(40);
    await expect(run({ train_split: 'heldout' })).rejects.toThrow('training/pretrain-embeddings: the corpus has no split "heldout" (has: train, validation)');
  });
});
