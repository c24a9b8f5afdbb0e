import { beforeAll, describe, expect, test } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createModel, loadModel, saveModel } from '../src/index.ts';
import { useBackend } from './helpers/backend.ts';
import { tempDir } from './helpers/checkpoints.ts';
import { TINY_BERT_DIR } from './helpers/paths.ts';

beforeAll(() => useBackend('cpu'));

async function folderBytes(dir: string): Promise<Record<string, Buffer>> {
  const files = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(join(dir, f))] as const)));
}

describe('saveModel', () => {
  test('save → load → save is byte-identical (config.json, model.safetensors, vocab.txt)', async () => {
    const first = await tempDir();
    const second = await tempDir();
    const original = await loadModel(TINY_BERT_DIR);
    await saveModel(original, first);
    const reloaded = await loadModel(first);
    await saveModel(reloaded, second);
    const [a, b] = [await folderBytes(first), await folderBytes(second)];
    expect(Object.keys(a)).toEqual(['config.json', 'model.safetensors', 'vocab.txt']);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const file of Object.keys(a)) expect(a[file].equals(b[file])).toBe(true);
    original.dispose();
    reloaded.dispose();
  });

  test('the saved config is HF config.json of the fixture, unchanged (unknown fields such as use_cache kept)', async () => {
    const dir = await tempDir();
    const model = await loadModel(TINY_BERT_DIR);
    await saveModel(model, dir);
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe(await readFile(join(TINY_BERT_DIR, 'config.json'), 'utf8'));
    model.dispose();
  });

  test('the saved weights are the fixture weights minus the int64 position_ids buffer, bit for bit', async () => {
    const dir = await tempDir();
    const model = await loadModel(TINY_BERT_DIR);
    await saveModel(model, dir);
    const { readSafetensors } = await import('../src/safetensors/index.ts');
    const saved = await readSafetensors(join(dir, 'model.safetensors'));
    const original = await readSafetensors(join(TINY_BERT_DIR, 'model.safetensors'));
    expect(saved.metadata).toEqual({ format: 'pt' });
    const originalByName = new Map(original.tensors.map((t) => [t.name, t]));
    expect(saved.tensors.map((t) => t.name).sort()).toEqual([...originalByName.keys()].filter((n) => n !== 'bert.embeddings.position_ids').sort());
    for (const tensor of saved.tensors) expect(Buffer.from(tensor.bytes).equals(Buffer.from(originalByName.get(tensor.name)!.bytes))).toBe(true);
    model.dispose();
  });

  test('a sequence-classification head on a masked-LM checkpoint without a pooler: the pooler is newly initialised, as in transformers', async () => {
    const dir = await tempDir();
    const config = JSON.parse(await readFile(join(TINY_BERT_DIR, 'config.json'), 'utf8'));
    const mlm = createModel(config, 'masked-lm', 1);
    await saveModel(mlm, dir);
    mlm.dispose();
    const model = await loadModel(dir, { head: 'sequence-classification', labels: ['NEG', 'ADE'] });
    expect(model.loadReport.missing).toEqual([]);
    expect(model.loadReport.newlyInitialized).toEqual(['bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias']);
    model.dispose();
  });

  test('a new head and labels are written as architectures, id2label and label2id', async () => {
    const dir = await tempDir();
    const model = await loadModel(TINY_BERT_DIR, { head: 'sequence-classification', labels: ['neg', 'pos'] });
    await saveModel(model, dir);
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['BertForSequenceClassification']);
    expect(config.id2label).toEqual({ 0: 'neg', 1: 'pos' });
    expect(config.label2id).toEqual({ neg: 0, pos: 1 });
    const back = await loadModel(dir);
    expect(back.head).toBe('sequence-classification');
    expect(back.loadReport).toMatchObject({ missing: [], unexpected: [], newlyInitialized: [] });
    model.dispose();
    back.dispose();
  });

  test('a created model has no tokenizer files unless told where they are', async () => {
    const config = JSON.parse(await readFile(join(TINY_BERT_DIR, 'config.json'), 'utf8'));
    const model = createModel(config, 'masked-lm', 7);
    const bare = await tempDir();
    expect((await saveModel(model, bare)).files).toEqual(['config.json', 'model.safetensors']);
    const withVocab = await tempDir();
    expect((await saveModel(model, withVocab, { tokenizerFrom: TINY_BERT_DIR })).files).toEqual(['config.json', 'model.safetensors', 'vocab.txt']);
    model.dispose();
  });
});
