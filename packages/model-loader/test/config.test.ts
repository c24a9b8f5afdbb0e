import { describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBertConfig, readBertConfig, serializeBertConfig } from '../src/config/index.ts';
import { TINY_BERT_DIR } from './helpers/paths.ts';

const base = { model_type: 'bert', vocab_size: 10, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16 };

describe('BERT config.json', () => {
  test('the fixture config reads and writes back byte for byte (HF layout: sorted keys, indent 2)', async () => {
    const config = await readBertConfig(TINY_BERT_DIR);
    expect(config.hidden_act).toBe('gelu');
    expect(config.layer_norm_eps).toBe(1e-12);
    expect(serializeBertConfig(config)).toBe(await readFile(join(TINY_BERT_DIR, 'config.json'), 'utf8'));
  });

  test('unknown fields are preserved', () => {
    expect(parseBertConfig({ ...base, my_field: { a: [1] } }, 'c.json').my_field).toEqual({ a: [1] });
  });

  test('missing optional fields get HF BertConfig defaults', () => {
    expect(parseBertConfig(base, 'c.json')).toMatchObject({ hidden_act: 'gelu', max_position_embeddings: 512, type_vocab_size: 2, layer_norm_eps: 1e-12, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, initializer_range: 0.02 });
  });

  test('label2id is derived from id2label when absent', () => {
    expect(parseBertConfig({ ...base, id2label: { 1: 'B', 0: 'O' } }, 'c.json').label2id).toEqual({ O: 0, B: 1 });
  });

  test.each([
    [{ ...base, model_type: 'roberta' }, '"model_type" is "roberta"; only "bert" is supported'],
    [{ ...base, hidden_size: undefined }, '"hidden_size" is missing'],
    [{ ...base, num_hidden_layers: 1.5 }, '"num_hidden_layers" must be a positive integer, found 1.5'],
    [{ ...base, num_attention_heads: 3 }, '"hidden_size" (8) must be a multiple of "num_attention_heads" (3)'],
    [{ ...base, hidden_act: 'swish' }, '"hidden_act" "swish" is not supported (supported: gelu, gelu_new, relu)'],
    [{ ...base, hidden_dropout_prob: 1 }, '"hidden_dropout_prob" must be a number in [0, 1), found 1'],
    [{ ...base, position_embedding_type: 'relative_key' }, '"position_embedding_type" "relative_key" is not supported'],
    [{ ...base, id2label: { 0: 'O', 2: 'B' } }, '"id2label" keys must be 0..1, found "2"'],
    [{ ...base, id2label: { 0: 'O', 1: 'B' }, label2id: { O: 1, B: 0 } }, '"label2id" does not match "id2label"'],
    [[1, 2], 'expected a JSON object'],
  ])('rejects %j', (raw, message) => {
    expect(() => parseBertConfig(raw, 'dir/config.json')).toThrow(`dir/config.json: invalid BERT config: ${message}`);
  });

  test('a missing config.json names the file', async () => {
    await expect(readBertConfig('/nonexistent')).rejects.toThrow('/nonexistent/config.json: cannot open model config (not found)');
  });

  test('a config.json that is not JSON names the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    await writeFile(join(dir, 'config.json'), '{"model_type": "bert",');
    await expect(readBertConfig(dir)).rejects.toThrow(`${join(dir, 'config.json')}: config is not valid JSON`);
  });
});
