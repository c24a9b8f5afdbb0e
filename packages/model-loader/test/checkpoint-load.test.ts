import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModel } from '../src/index.ts';
import { useBackend } from './helpers/backend.ts';
import { drop, editedTinyBert, rename, tempDir } from './helpers/checkpoints.ts';
import { EXPECTED } from './helpers/fixture.ts';
import { TINY_BERT_DIR } from './helpers/paths.ts';

beforeAll(() => useBackend('cpu'));

const firstBatchLogits = (model: Awaited<ReturnType<typeof loadModel>>) =>
  tf.tidy(() => model.forward({ inputIds: tf.tensor2d(EXPECTED.inputs[0].input_ids, undefined, 'int32') }).logits!.arraySync()) as number[][][];

describe('loadModel: what HF reports when loading tiny-bert', () => {
  test('as BertForTokenClassification: nothing missing or unexpected, position_ids skipped, pooler kept but frozen', async () => {
    const model = await loadModel(TINY_BERT_DIR);
    expect(model.head).toBe('token-classification');
    expect(model.loadReport).toMatchObject({ missing: [], unexpected: [], newlyInitialized: [], dropped: [], skipped: ['bert.embeddings.position_ids'], renamed: [] });
    expect(model.params.size).toBe(41);
    expect(model.trainable.has('bert.pooler.dense.weight')).toBe(false);
    expect(model.trainable.size).toBe(39);
    expect(model.params.get('bert.encoder.layer.0.intermediate.dense.weight')!.shape).toEqual([64, 32]);
    model.dispose();
  });

  test('as BertModel (strict) fails naming the unexpected classifier tensors', async () => {
    await expect(loadModel(TINY_BERT_DIR, { head: 'none' })).rejects.toThrow(
      'model.safetensors: checkpoint does not match a BertModel (strict loading): unexpected: classifier.bias, classifier.weight',
    );
  });

  test('as BertModel with strict: false reports the classifier as unexpected and has no logits', async () => {
    const model = await loadModel(TINY_BERT_DIR, { head: 'none', strict: false });
    expect(model.loadReport.unexpected).toEqual(['classifier.bias', 'classifier.weight']);
    const outputs = tf.tidy(() => model.forward({ inputIds: tf.tensor2d([[2, 3]], undefined, 'int32') }) as unknown as tf.TensorContainer) as { logits?: tf.Tensor; pooled?: tf.Tensor };
    expect(outputs.logits).toBeUndefined();
    expect(outputs.pooled!.shape).toEqual([1, 32]);
    tf.dispose(outputs as unknown as tf.TensorContainer);
    model.dispose();
  });
});

describe('loadModel: strict loading reports tensors by name', () => {
  test('a missing encoder tensor is an error naming it', async () => {
    const dir = await editedTinyBert(drop(/layer\.1\.output\.dense\.bias$/));
    await expect(loadModel(dir)).rejects.toThrow('(strict loading): missing: bert.encoder.layer.1.output.dense.bias');
  });

  test('an extra tensor is an error naming it', async () => {
    const dir = await editedTinyBert((tensors) => [...tensors, { ...tensors.find((t) => t.name === 'classifier.bias')!, name: 'bert.encoder.layer.2.extra' }]);
    await expect(loadModel(dir)).rejects.toThrow('(strict loading): unexpected: bert.encoder.layer.2.extra');
  });

  test('with strict: false a missing tensor is initialised fresh and reported', async () => {
    const dir = await editedTinyBert(drop(/layer\.1\.output\.dense\.bias$/));
    const model = await loadModel(dir, { strict: false });
    expect(model.loadReport.missing).toEqual(['bert.encoder.layer.1.output.dense.bias']);
    expect(Array.from(model.params.get('bert.encoder.layer.1.output.dense.bias')!.dataSync())).toEqual(new Array(32).fill(0));
    model.dispose();
  });

  test('a tensor with the wrong shape names the tensor and both shapes', async () => {
    const dir = await editedTinyBert((t) => t, (config) => ({ ...config, intermediate_size: 65 }));
    await expect(loadModel(dir)).rejects.toThrow('parameter "bert.encoder.layer.0.intermediate.dense.weight" has shape [64,32] but the config expects [65,32]');
  });

  test('a parameter stored as an integer dtype is rejected', async () => {
    const dir = await editedTinyBert((tensors) => tensors.map((t) => (t.name === 'classifier.bias' ? { ...t, dtype: 'I32' as const } : t)));
    await expect(loadModel(dir)).rejects.toThrow('parameter "classifier.bias" is stored as I32; expected F32, F16, BF16 or F64');
  });

  test('a folder with only pytorch_model.bin says that only safetensors is supported', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', vocab_size: 10, hidden_size: 4, num_hidden_layers: 1, num_attention_heads: 1, intermediate_size: 8 }));
    await writeFile(join(dir, 'pytorch_model.bin'), 'pickle');
    await expect(loadModel(dir)).rejects.toThrow('model.safetensors: not found. It has pytorch_model.bin: only a single model.safetensors file is supported');
  });
});

describe('loadModel: dtypes', () => {
  test('a BF16 checkpoint loads as float32: each parameter is the F32 value with its low 16 bits cleared', async () => {
    const toBf16 = (bytes: Uint8Array) => {
      const words = new Uint32Array(bytes.slice().buffer);
      return new Uint8Array(Uint16Array.from(words, (w) => w >>> 16).buffer);
    };
    const dir = await editedTinyBert((tensors) => tensors.map((t) => (t.dtype === 'F32' ? { ...t, dtype: 'BF16' as const, bytes: toBf16(t.bytes) } : t)));
    const [bf16, f32] = [await loadModel(dir), await loadModel(TINY_BERT_DIR)];
    const name = 'bert.encoder.layer.1.intermediate.dense.weight';
    const expected = new Float32Array(new Uint32Array(f32.params.get(name)!.dataSync().slice().buffer).map((w) => w & 0xffff0000).buffer);
    expect(Array.from(bf16.params.get(name)!.dataSync())).toEqual(Array.from(expected));
    bf16.dispose();
    f32.dispose();
  });
});

describe('loadModel: name normalisation', () => {
  test('a checkpoint saved from BertModel (no "bert." prefix) gives the same logits', async () => {
    const reference = await loadModel(TINY_BERT_DIR);
    const dir = await editedTinyBert(rename(/^bert\./, ''));
    const model = await loadModel(dir);
    expect(model.loadReport.renamed).toContainEqual(['encoder.layer.0.attention.self.query.weight', 'bert.encoder.layer.0.attention.self.query.weight']);
    expect(firstBatchLogits(model)).toEqual(firstBatchLogits(reference));
    model.dispose();
    reference.dispose();
  });

  test('TF-converted LayerNorm.gamma / LayerNorm.beta load as weight / bias', async () => {
    const dir = await editedTinyBert((tensors) => rename(/LayerNorm\.weight$/, 'LayerNorm.gamma')(rename(/LayerNorm\.bias$/, 'LayerNorm.beta')(tensors)));
    const model = await loadModel(dir);
    expect(model.loadReport.renamed).toContainEqual(['bert.embeddings.LayerNorm.gamma', 'bert.embeddings.LayerNorm.weight']);
    expect(model.loadReport.renamed).toHaveLength(10);
    model.dispose();
  });
});

describe('loadModel: heads', () => {
  test('new labels give a freshly initialised classifier, reported, and the old one dropped', async () => {
    const model = await loadModel(TINY_BERT_DIR, { labels: ['O', 'B-X', 'I-X'], seed: 3 });
    expect(model.loadReport.newlyInitialized).toEqual(['classifier.weight', 'classifier.bias']);
    expect(model.loadReport.dropped).toEqual(['classifier.bias', 'classifier.weight']);
    expect(model.params.get('classifier.weight')!.shape).toEqual([3, 32]);
    expect(model.config.id2label).toEqual({ 0: 'O', 1: 'B-X', 2: 'I-X' });
    expect(model.config.label2id).toEqual({ O: 0, 'B-X': 1, 'I-X': 2 });
    model.dispose();
  });

  test('the same labels as the checkpoint keep its classifier', async () => {
    const model = await loadModel(TINY_BERT_DIR, { labels: ['O', 'B-Disease', 'I-Disease', 'B-Chemical', 'I-Chemical'] });
    expect(model.loadReport.newlyInitialized).toEqual([]);
    model.dispose();
  });

  test('an encoder-only checkpoint loaded for sequence classification gets a new classifier and uses its pooler', async () => {
    const dir = await editedTinyBert(drop(/^classifier\./), (config) => ({ ...config, architectures: ['BertModel'] }));
    const model = await loadModel(dir, { head: 'sequence-classification', labels: ['neg', 'pos'] });
    expect(model.loadReport).toMatchObject({ missing: [], unexpected: [], newlyInitialized: ['classifier.weight', 'classifier.bias'] });
    expect(model.trainable.has('bert.pooler.dense.weight')).toBe(true);
    const logits = tf.tidy(() => model.forward({ inputIds: tf.tensor2d([[2, 40, 3]], undefined, 'int32') }).logits!.shape);
    expect(logits).toEqual([1, 2]);
    model.dispose();
  });

  test('MLM weights (cls.*) are dropped and reported when loading for classification', async () => {
    const dir = await editedTinyBert(
      (tensors) => [
        ...drop(/^classifier\./)(tensors),
        { ...tensors.find((t) => t.name === 'bert.embeddings.LayerNorm.bias')!, name: 'cls.predictions.bias' },
        { ...tensors.find((t) => t.name === 'bert.pooler.dense.weight')!, name: 'cls.predictions.transform.dense.weight' },
      ],
      (config) => ({ ...config, architectures: ['BertForMaskedLM'] }),
    );
    const model = await loadModel(dir, { head: 'token-classification' });
    expect(model.loadReport.dropped).toEqual(['cls.predictions.bias', 'cls.predictions.transform.dense.weight']);
    expect(model.loadReport.newlyInitialized).toEqual(['classifier.weight', 'classifier.bias']);
    model.dispose();
  });

  test('a masked-LM head ties its decoder to the word embeddings', async () => {
    const dir = await editedTinyBert(drop(/^classifier\./), (config) => ({ ...config, architectures: ['BertModel'] }));
    const model = await loadModel(dir, { head: 'masked-lm' });
    expect(model.loadReport.newlyInitialized).toEqual([
      'cls.predictions.transform.dense.weight', 'cls.predictions.transform.dense.bias',
      'cls.predictions.transform.LayerNorm.weight', 'cls.predictions.transform.LayerNorm.bias', 'cls.predictions.bias',
    ]);
    expect(model.linearModules()).toContain('cls.predictions.decoder');
    const logits = tf.tidy(() => model.forward({ inputIds: tf.tensor2d([[2, 40, 3]], undefined, 'int32') }).logits!.shape);
    expect(logits).toEqual([1, 3, 120]);
    model.dispose();
  });
});
