import { beforeAll, describe, expect, test } from '@jest/globals';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StageContext } from '@tunekit/pipeline';
import { stages } from '../src/stages/index.ts';
import { loadModel } from '../src/index.ts';
import { tempDir } from './helpers/checkpoints.ts';
import { TINY_BERT_DIR } from './helpers/paths.ts';

const [loadStage, createStage] = stages;

beforeAll(() => {
  process.env.TUNEKIT_BACKEND = 'cpu'; // the stages use @tunekit/compute's backend selection
});

function context<P>(params: P, workspaceRoot: string, inputs: StageContext['inputs'], out: string): StageContext<P> {
  const noop = () => {};
  return {
    stageId: 'test', params, inputs, outputs: { model: { dir: out } }, seed: 42, pipelineDir: workspaceRoot, workspaceRoot, scratchDir: out + '.scratch',
    log: { info: noop, warn: noop, metric: noop, metrics: noop, tag: noop, artifact: noop }, progress: { update: noop }, signal: new AbortController().signal,
  };
}

describe('model-loader/load', () => {
  test('writes the checkpoint as a model artifact in HF layout with a manifest', async () => {
    const root = await tempDir('ws-');
    await cp(TINY_BERT_DIR, join(root, 'models/tiny-bert'), { recursive: true });
    const out = await tempDir('out-');
    await loadStage.run(context({ source: 'builtin:tiny-bert', strict: true }, root, {}, out) as never);
    expect((await readdir(out)).sort()).toEqual(['config.json', 'manifest.json', 'model.safetensors', 'vocab.txt']);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ kind: 'model', schemaVersion: 1, format: 'huggingface', architecture: 'BertForTokenClassification', head: 'token-classification', parameters: 24325, labels: ['O', 'B-Disease', 'I-Disease', 'B-Chemical', 'I-Chemical'] });
    expect(manifest.source).toMatchObject({ spec: 'builtin:tiny-bert', kind: 'builtin' });
    const model = await loadModel(out);
    expect(model.loadReport.missing).toEqual([]);
    model.dispose();
  });

  test('its fingerprint includes the source folder digest: a changed checkpoint changes it', async () => {
    const root = await tempDir('ws-');
    await cp(TINY_BERT_DIR, join(root, 'ckpt'), { recursive: true });
    const env = { pipelineDir: root, workspaceRoot: root };
    const params = { source: 'ckpt', strict: true };
    const before = await loadStage.fingerprint!(params as never, env);
    expect(await loadStage.fingerprint!(params as never, env)).toEqual(before);
    const weights = await readFile(join(root, 'ckpt/model.safetensors'));
    weights[weights.length - 1] ^= 1;
    await writeFile(join(root, 'ckpt/model.safetensors'), weights);
    const after = await loadStage.fingerprint!(params as never, env);
    expect(after.source).toBe('ckpt');
    expect(after.sourceDigest).not.toBe(before.sourceDigest);
  });

  test('a broken source fails the stage with the loader\'s message', async () => {
    const root = await tempDir('ws-');
    await expect(loadStage.run(context({ source: 'builtin:nothing', strict: true }, root, {}, await tempDir('out-')) as never)).rejects.toThrow('builtin:nothing: no such builtin model');
  });
});

describe('model-loader/create', () => {
  test('creates a seeded masked-LM BERT sized for the tokenizer, with its vocabulary', async () => {
    const tokenizer = await tempDir('tok-');
    await cp(join(TINY_BERT_DIR, 'vocab.txt'), join(tokenizer, 'vocab.txt'));
    await writeFile(join(tokenizer, 'manifest.json'), '{"kind":"tokenizer","schemaVersion":1}');
    const params = { hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 32, type_vocab_size: 2, hidden_act: 'gelu', hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, layer_norm_eps: 1e-12, initializer_range: 0.02, head: 'masked-lm' };
    const [a, b] = [await tempDir('out-'), await tempDir('out-')];
    for (const out of [a, b]) await createStage.run(context(params, tokenizer, { tokenizer: { dir: tokenizer, digest: 'd' } }, out) as never);
    expect((await readdir(a)).sort()).toEqual(['config.json', 'manifest.json', 'model.safetensors', 'vocab.txt']);
    expect((await readFile(join(a, 'model.safetensors'))).equals(await readFile(join(b, 'model.safetensors')))).toBe(true);
    const config = JSON.parse(await readFile(join(a, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ architectures: ['BertForMaskedLM'], vocab_size: 120, pad_token_id: 0, hidden_size: 16 });
    const model = await loadModel(a);
    expect(model.head).toBe('masked-lm');
    expect(model.params.get('bert.embeddings.word_embeddings.weight')!.shape).toEqual([120, 16]);
    model.dispose();
  });
});

describe('stage modules', () => {
  test('import heavy code (tfjs, compute, the model) only inside run()', async () => {
    const dir = join(TINY_BERT_DIR, '../../packages/model-loader/src/stages');
    for (const file of await readdir(dir)) {
      const imports = (await readFile(join(dir, file), 'utf8')).split('\n').filter((line) => /^import (?!type)/.test(line));
      for (const line of imports) expect(line).toMatch(/from '(@tunekit\/pipeline|\.\/[\w-]+\.ts|node:[\w/]+)'/);
    }
  });
});
