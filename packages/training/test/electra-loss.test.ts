/**
 * ELECTRA's joint loss on a tiny generator / discriminator pair: shapes and values at initialisation,
 * the shared embeddings, deterministic sampling (also across a data-parallel split of the batch),
 * a finite-difference check of the discriminator loss, and no gradient through the sampling.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { createModel } from '@tunekit/model-loader';
import { disposeBatch, sliceHostBatch, toBatch, type HostBatch } from '../src/data/batch.ts';
import { generatorConfig } from '../src/electra/generator-config.ts';
import { electraForward } from '../src/electra/loss.ts';
import { DISCRIMINATOR_LABELS, ElectraModel, GENERATOR_PREFIX, SHARED_EMBEDDINGS } from '../src/electra/model.ts';
import { samplingNoise, type ReplacedTokens } from '../src/electra/sampling.ts';
import { maskTokens } from '../src/mlm/masking.ts';
import { useCpu } from './helpers/backend.ts';
import { TINY_CONFIG } from './helpers/tiny.ts';

const VOCAB = 40;
const B = 4;
const L = 10;
let model: ElectraModel;
let host: HostBatch;

beforeAll(async () => {
  await useCpu();
  const discriminator = createModel({ ...TINY_CONFIG, vocab_size: VOCAB, num_attention_heads: 4, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }, 'token-classification', 1, { labels: DISCRIMINATOR_LABELS });
  model = new ElectraModel(discriminator, createModel(generatorConfig(discriminator.config, { size: 0.5, layers: 1 }), 'masked-lm', 2));
  const inputIds = Int32Array.from({ length: B * L }, (_, i) => (i % L === 0 ? 2 : 5 + ((i * 7) % 30)));
  const attentionMask = Int32Array.from({ length: B * L }, (_, i) => (i % L < L - (i < L ? 0 : 2) ? 1 : 0));
  for (let i = 0; i < B * L; i++) if (!attentionMask[i]) inputIds[i] = 0;
  const tokens = attentionMask.reduce((a, b) => a + b, 0);
  const masked = maskTokens({ inputIds, attentionMask, tokenTypeIds: new Int32Array(B * L), length: L, tokens }, { probability: 0.3, maskId: 4, vocabSize: VOCAB, specialIds: [0, 2, 3] }, 11);
  host = { ...masked, sampleNoise: samplingNoise(B * L, 5) };
});
afterAll(() => model.dispose());

const rows = (n: number) => Array.from({ length: n }, (_, i) => i);

interface Parts {
  generator: number;
  discriminator: number;
  total: number;
  logitsShape: number[];
  replaced: ReplacedTokens;
}

function parts(h: HostBatch): Parts {
  const batch = toBatch(h, rows(h.inputIds.length / h.length), true);
  let out: Parts | undefined;
  tf.tidy(() => {
    const p = electraForward(model, batch, { training: false, discriminatorWeight: 50 });
    out = { generator: p.generatorLoss.dataSync()[0]!, discriminator: p.discriminatorLoss.dataSync()[0]!, total: p.total.dataSync()[0]!, logitsShape: p.discriminatorLogits.shape, replaced: p.replaced };
  });
  disposeBatch(batch);
  return out!;
}

describe('ELECTRA loss', () => {
  test('the pair shares the embedding block (same variables); the generator is half as wide with its own projection; params name it generator.*', () => {
    for (const name of SHARED_EMBEDDINGS) expect(model.generator.params.get(name)).toBe(model.discriminator.params.get(name));
    expect(model.generator.config.hidden_size).toBe(8);
    expect(model.generator.config.num_attention_heads).toBe(2);
    expect(model.generator.config.num_hidden_layers).toBe(1);
    expect(model.params.get(`${GENERATOR_PREFIX}bert.embeddings_project.weight`)!.shape).toEqual([8, 16]);
    expect(model.params.get(`${GENERATOR_PREFIX}cls.predictions.transform.dense.weight`)!.shape).toEqual([16, 8]);
    expect([...model.params.keys()].filter((n) => n.startsWith(`${GENERATOR_PREFIX}bert.embeddings.`))).toEqual([]);
    expect(model.params.size).toBe(model.discriminator.params.size + model.generator.params.size - SHARED_EMBEDDINGS.length);
  });

  test('at initialisation: generator loss ≈ ln V, discriminator logits [B, L, 2] and loss ≈ ln 2, total = generator + 50 · discriminator', () => {
    const p = parts(host);
    expect(p.logitsShape).toEqual([B, L, 2]);
    expect(Math.abs(p.generator - Math.log(VOCAB))).toBeLessThan(0.1);
    expect(Math.abs(p.discriminator - Math.log(2))).toBeLessThan(0.1);
    expect(p.total).toBeCloseTo(p.generator + 50 * p.discriminator, 4);
  });

  test('sampling is deterministic: the same batch gives the same corrupted input; each shard of a 2-way split samples what the whole batch sampled for its rows', () => {
    const whole = parts(host).replaced;
    expect(parts(host).replaced).toEqual(whole);
    expect(whole.labels.some((l) => l === 1)).toBe(true);
    for (const [start, end] of [[0, 2], [2, 4]] as const) {
      const shard = sliceHostBatch(host, start, end, true);
      const got = parts(shard).replaced;
      for (let b = 0; b < end - start; b++) {
        const want = whole.inputIds.slice((start + b) * L, (start + b) * L + shard.length);
        expect([...got.inputIds.slice(b * shard.length, (b + 1) * shard.length)]).toEqual([...want]);
      }
    }
  });

  test('finite differences agree with the gradient of the discriminator loss (discriminator-only weights, eps 1e-2, float32)', () => {
    const batch = toBatch(host, rows(B), true);
    const names = ['bert.encoder.layer.0.attention.self.query.weight', 'bert.encoder.layer.1.output.dense.weight', 'classifier.weight', 'classifier.bias'];
    const loss = () => electraForward(model, batch, { training: false, discriminatorWeight: 50 }).discriminatorLoss;
    const { grads } = tf.variableGrads(loss, names.map((n) => model.params.get(n)!));
    const byVariable = new Map(names.map((n) => [model.params.get(n)!.name, n]));
    const analytic = new Map(Object.entries(grads).map(([v, g]) => [byVariable.get(v)!, g.dataSync() as Float32Array]));
    const eps = 1e-2;
    let worst = 0;
    for (const name of names) {
      const variable = model.params.get(name)!;
      const original = (variable.dataSync() as Float32Array).slice();
      for (const index of new Set([0, Math.min(3, original.length - 1), Math.floor(original.length / 2)])) {
        const at = (delta: number) => {
          const values = original.slice();
          values[index] = values[index]! + delta;
          variable.assign(tf.tensor(values, variable.shape));
          return tf.tidy(() => loss().dataSync()[0]!);
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        variable.assign(tf.tensor(original, variable.shape));
        worst = Math.max(worst, Math.abs(numeric - analytic.get(name)![index]!));
      }
    }
    tf.dispose(Object.values(grads));
    disposeBatch(batch);
    expect(worst).toBeLessThan(2e-4);
  });

  test('no gradient flows through the sampling: the discriminator loss has none for generator-only weights, the generator loss none for the discriminator classifier', () => {
    const batch = toBatch(host, rows(B), true);
    const generatorOnly = [...model.params.keys()].filter((n) => n.startsWith(GENERATOR_PREFIX));
    const probe = 'classifier.weight';
    const variables = [...generatorOnly, probe].map((n) => model.params.get(n)!);
    const disc = tf.variableGrads(() => electraForward(model, batch, { training: false, discriminatorWeight: 50 }).discriminatorLoss, variables);
    const withGradient = (grads: tf.NamedTensorMap) => [...model.params].filter(([, v]) => grads[v.name]).map(([n]) => n);
    expect(withGradient(disc.grads)).toEqual([probe]);
    const gen = tf.variableGrads(() => electraForward(model, batch, { training: false, discriminatorWeight: 50 }).generatorLoss, [...model.params.values()]);
    const genNames = withGradient(gen.grads);
    expect(genNames).not.toContain(probe);
    expect(genNames).toContain('bert.embeddings.word_embeddings.weight');
    expect(genNames).toContain(`${GENERATOR_PREFIX}bert.embeddings_project.weight`);
    tf.dispose([disc.value, gen.value, ...Object.values(disc.grads), ...Object.values(gen.grads)]);
    disposeBatch(batch);
  });
});
