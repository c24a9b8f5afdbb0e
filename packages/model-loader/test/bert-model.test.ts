import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { layerNorm } from '@tunekit/compute';
import { createModel, type TfBertModel } from '../src/index.ts';
import { useBackend } from './helpers/backend.ts';
import { TINY_CONFIG } from './helpers/tiny-config.ts';

beforeAll(() => useBackend('cpu'));

const IDS = [[2, 5, 7, 9, 3, 0], [2, 11, 3, 0, 0, 0]];
const MASK = [[1, 1, 1, 1, 1, 0], [1, 1, 1, 0, 0, 0]];
const inputs = () => ({ inputIds: tf.tensor2d(IDS, undefined, 'int32'), attentionMask: tf.tensor2d(MASK, undefined, 'int32') });
const run = (model: TfBertModel, options = {}) => tf.tidy(() => model.forward(inputs(), options).logits!.arraySync()) as number[][][];
const values = (model: TfBertModel, name: string) => Array.from(model.params.get(name)!.dataSync());

describe('createModel (HF _init_weights from a seed)', () => {
  test('the same seed gives the same parameters, another seed different ones', () => {
    const [a, b, c] = [createModel(TINY_CONFIG, 'token-classification', 1), createModel(TINY_CONFIG, 'token-classification', 1), createModel(TINY_CONFIG, 'token-classification', 2)];
    for (const name of a.params.keys()) expect(values(a, name)).toEqual(values(b, name));
    expect(values(a, 'bert.encoder.layer.0.attention.self.query.weight')).not.toEqual(values(c, 'bert.encoder.layer.0.attention.self.query.weight'));
    [a, b, c].forEach((m) => m.dispose());
  });

  test('LayerNorm weights are 1, biases 0, the [PAD] embedding row 0, weights ~ N(0, initializer_range)', () => {
    const model = createModel({ ...TINY_CONFIG, vocab_size: 2000 }, 'masked-lm', 3);
    expect(values(model, 'bert.embeddings.LayerNorm.weight')).toEqual(new Array(8).fill(1));
    expect(values(model, 'bert.encoder.layer.1.output.dense.bias')).toEqual(new Array(8).fill(0));
    expect(values(model, 'cls.predictions.bias')).toEqual(new Array(2000).fill(0));
    const embeddings = values(model, 'bert.embeddings.word_embeddings.weight');
    expect(embeddings.slice(0, 8)).toEqual(new Array(8).fill(0));
    const rest = embeddings.slice(8);
    const mean = rest.reduce((s, v) => s + v, 0) / rest.length;
    const std = Math.sqrt(rest.reduce((s, v) => s + (v - mean) ** 2, 0) / rest.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.3)).toBeLessThan(0.01); // 15,992 samples: standard error of std ≈ 0.0017
    model.dispose();
  });

  test('heads do not change the encoder: a parameter\'s value depends only on the seed and its name', () => {
    const [tokens, mlm] = [createModel(TINY_CONFIG, 'token-classification', 9), createModel(TINY_CONFIG, 'masked-lm', 9)];
    expect(values(tokens, 'bert.encoder.layer.1.intermediate.dense.weight')).toEqual(values(mlm, 'bert.encoder.layer.1.intermediate.dense.weight'));
    tokens.dispose();
    mlm.dispose();
  });

  test('HF parameter names: 16 per layer, pooler only for heads that use it', () => {
    const tokens = createModel(TINY_CONFIG, 'token-classification', 0);
    const sequence = createModel(TINY_CONFIG, 'sequence-classification', 0);
    expect(tokens.params.size).toBe(5 + 2 * 16 + 2);
    expect(tokens.params.has('bert.pooler.dense.weight')).toBe(false);
    expect(sequence.params.has('bert.pooler.dense.weight')).toBe(true);
    expect(tokens.linearModules().slice(0, 4)).toEqual([
      'bert.encoder.layer.0.attention.self.query', 'bert.encoder.layer.0.attention.self.key',
      'bert.encoder.layer.0.attention.self.value', 'bert.encoder.layer.0.attention.output.dense',
    ]);
    tokens.dispose();
    sequence.dispose();
  });
});

describe('forward', () => {
  test('dropout masks are deterministic for a seed and differ between seeds; eval mode ignores them', () => {
    const model = createModel({ ...TINY_CONFIG, hidden_dropout_prob: 0.3, attention_probs_dropout_prob: 0.3 }, 'token-classification', 0);
    const a = run(model, { training: true, seed: 5 });
    expect(run(model, { training: true, seed: 5 })).toEqual(a);
    expect(run(model, { training: true, seed: 6 })).not.toEqual(a);
    expect(run(model, { seed: 5 })).toEqual(run(model));
    expect(run(model)).not.toEqual(a);
    model.dispose();
  });

  test('wrapLinear replaces a linear module and null restores it; unknown modules are refused', () => {
    const model = createModel(TINY_CONFIG, 'token-classification', 0);
    const before = run(model);
    model.wrapLinear('classifier', (x, base) => tf.mul(base(x), 2));
    const doubled = run(model);
    expect(doubled[0][0][1]).toBeCloseTo(2 * before[0][0][1], 5);
    model.wrapLinear('classifier', null);
    expect(run(model)).toEqual(before);
    expect(() => model.wrapLinear('bert.encoder.layer.0.attention.self.qkv', () => tf.scalar(0))).toThrow('wrapLinear: unknown linear module "bert.encoder.layer.0.attention.self.qkv"');
    model.dispose();
  });

  test('a sublayer hook sees the sublayer output before LayerNorm(hidden + residual)', () => {
    const model = createModel(TINY_CONFIG, 'token-classification', 0);
    const seen: number[][] = [];
    const zero = (h: tf.Tensor) => {
      seen.push(h.shape);
      return tf.zerosLike(h);
    };
    model.setSublayerHook('bert.encoder.layer.1.attention.output', zero);
    model.setSublayerHook('bert.encoder.layer.1.output', zero);
    const result = tf.tidy(() => {
      const out = model.forward(inputs(), { outputHiddenStates: true });
      // With both sublayers of layer 1 zeroed, its output is LN_out(LN_attn(layer-0 output)).
      const p = (n: string) => model.params.get(`bert.encoder.layer.1.${n}`) as unknown as tf.Tensor1D;
      const expected = layerNorm(layerNorm(out.hiddenStates![1], p('attention.output.LayerNorm.weight'), p('attention.output.LayerNorm.bias'), 1e-12), p('output.LayerNorm.weight'), p('output.LayerNorm.bias'), 1e-12);
      return tf.max(tf.abs(tf.sub(expected, out.lastHiddenState))).arraySync() as number;
    });
    expect(seen).toEqual([[2, 6, 8], [2, 6, 8]]);
    expect(result).toBeLessThan(1e-6);
    expect(() => model.setSublayerHook('bert.encoder.layer.2.output', zero)).toThrow('setSublayerHook: unknown hook point "bert.encoder.layer.2.output"');
    model.dispose();
  });

  test('a sequence longer than max_position_embeddings is refused', () => {
    const model = createModel(TINY_CONFIG, 'none', 0);
    expect(() => model.forward({ inputIds: tf.zeros([1, 13], 'int32') as tf.Tensor2D })).toThrow('sequence length 13 exceeds max_position_embeddings 12');
    model.dispose();
  });

  test('padding does not change the outputs of real tokens (padded keys get zero attention weight)', () => {
    const model = createModel(TINY_CONFIG, 'token-classification', 4);
    const alone = tf.tidy(() => model.forward({ inputIds: tf.tensor2d([[2, 11, 3]], undefined, 'int32') }).logits!.arraySync()) as number[][][];
    const padded = run(model);
    for (let t = 0; t < 3; t++) for (let k = 0; k < 3; k++) expect(padded[1][t][k]).toBeCloseTo(alone[0][t][k], 5);
    model.dispose();
  });

  test('forward and dispose leak no tensors', () => {
    const before = tf.memory().numTensors;
    const model = createModel(TINY_CONFIG, 'sequence-classification', 0);
    const input = inputs();
    const outputs = model.forward(input, { training: true, seed: 1, outputHiddenStates: true });
    tf.dispose([outputs.lastHiddenState, outputs.pooled!, outputs.logits!, ...outputs.hiddenStates!, input.inputIds, input.attentionMask]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
