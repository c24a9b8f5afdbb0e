/**
 * A BERT token-classification model composed directly of @tunekit/compute's layer primitives, with
 * Hugging Face parameter names. Used by the throughput benchmark when @tunekit/model-loader's
 * `createModel` is not available; it performs the same computation as HF's BertForTokenClassification.
 */
import * as tf from '@tensorflow/tfjs-core';
import { attention, activation, dropout, embeddingLookup, layerNorm, linear } from '@tunekit/compute';

export interface MicroBertConfig {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  ffn: number;
  maxPositions: number;
  labels: number;
  dropout: number;
}

export interface MicroBert {
  params: Map<string, tf.Variable>;
  logits(inputIds: tf.Tensor2D, mask: tf.Tensor2D, training: boolean, seed: number): tf.Tensor3D;
  /** LoRA: add rank-r adapters on query/value (x·Aᵀ·Bᵀ·alpha/r), returns the adapter parameter names. */
  addLora(rank: number, alpha: number): string[];
}

export function createMicroBert(config: MicroBertConfig, seed = 0): MicroBert {
  const params = new Map<string, tf.Variable>();
  let next = seed;
  const normal = (shape: number[]) => tf.truncatedNormal(shape, 0, 0.02, 'float32', next++);
  const add = (name: string, value: tf.Tensor) => params.set(name, tf.variable(value, true, name));
  const dense = (name: string, out: number, inp: number) => {
    add(`${name}.weight`, normal([out, inp]));
    add(`${name}.bias`, tf.zeros([out]));
  };
  const norm = (name: string, size: number) => {
    add(`${name}.weight`, tf.ones([size]));
    add(`${name}.bias`, tf.zeros([size]));
  };
  add('bert.embeddings.word_embeddings.weight', normal([config.vocab, config.hidden]));
  add('bert.embeddings.position_embeddings.weight', normal([config.maxPositions, config.hidden]));
  add('bert.embeddings.token_type_embeddings.weight', normal([2, config.hidden]));
  norm('bert.embeddings.LayerNorm', config.hidden);
  for (let i = 0; i < config.layers; i++) {
    const p = `bert.encoder.layer.${i}`;
    for (const m of ['query', 'key', 'value']) dense(`${p}.attention.self.${m}`, config.hidden, config.hidden);
    dense(`${p}.attention.output.dense`, config.hidden, config.hidden);
    norm(`${p}.attention.output.LayerNorm`, config.hidden);
    dense(`${p}.intermediate.dense`, config.ffn, config.hidden);
    dense(`${p}.output.dense`, config.hidden, config.ffn);
    norm(`${p}.output.LayerNorm`, config.hidden);
  }
  dense('classifier', config.labels, config.hidden);

  const lora = new Map<string, { a: tf.Variable; b: tf.Variable; scale: number }>();
  const P = (name: string) => params.get(name)!;
  const lin = (name: string, x: tf.Tensor) => {
    const y = linear(x, P(`${name}.weight`) as tf.Variable<tf.Rank.R2>, P(`${name}.bias`) as tf.Variable<tf.Rank.R1>);
    const adapter = lora.get(name);
    if (!adapter) return y;
    const delta = linear(linear(x, adapter.a as tf.Variable<tf.Rank.R2>), adapter.b as tf.Variable<tf.Rank.R2>);
    return tf.add(y, tf.mul(delta, adapter.scale));
  };
  const ln = (name: string, x: tf.Tensor) =>
    layerNorm(x, P(`${name}.weight`) as tf.Variable<tf.Rank.R1>, P(`${name}.bias`) as tf.Variable<tf.Rank.R1>, 1e-12);

  return {
    params,
    logits(inputIds, mask, training, stepSeed) {
      const [batch, length] = inputIds.shape;
      const rate = training ? config.dropout : 0;
      let s = stepSeed * 1000;
      const drop = (x: tf.Tensor) => dropout(x, rate, s++);
      const words = embeddingLookup(P('bert.embeddings.word_embeddings.weight') as tf.Variable<tf.Rank.R2>, inputIds);
      const positions = embeddingLookup(P('bert.embeddings.position_embeddings.weight') as tf.Variable<tf.Rank.R2>, tf.range(0, length, 1, 'int32'));
      const types = embeddingLookup(P('bert.embeddings.token_type_embeddings.weight') as tf.Variable<tf.Rank.R2>, tf.zeros([batch, length], 'int32'));
      let h = drop(ln('bert.embeddings.LayerNorm', tf.add(tf.add(words, positions), types)));
      for (let i = 0; i < config.layers; i++) {
        const p = `bert.encoder.layer.${i}`;
        const q = lin(`${p}.attention.self.query`, h) as tf.Tensor3D;
        const k = lin(`${p}.attention.self.key`, h) as tf.Tensor3D;
        const v = lin(`${p}.attention.self.value`, h) as tf.Tensor3D;
        const ctx = attention(q, k, v, mask, { numHeads: config.heads, dropout: config.dropout, training, seed: s++ });
        h = ln(`${p}.attention.output.LayerNorm`, tf.add(drop(lin(`${p}.attention.output.dense`, ctx)), h));
        const inter = activation(lin(`${p}.intermediate.dense`, h), 'gelu');
        h = ln(`${p}.output.LayerNorm`, tf.add(drop(lin(`${p}.output.dense`, inter)), h));
      }
      return lin('classifier', drop(h)) as tf.Tensor3D;
    },
    addLora(rank, alpha) {
      const names: string[] = [];
      for (let i = 0; i < config.layers; i++) {
        for (const m of ['query', 'value']) {
          const module = `bert.encoder.layer.${i}.attention.self.${m}`;
          add(`${module}.lora_A.weight`, normal([rank, config.hidden]));
          add(`${module}.lora_B.weight`, tf.zeros([config.hidden, rank]));
          lora.set(module, { a: P(`${module}.lora_A.weight`), b: P(`${module}.lora_B.weight`), scale: alpha / rank });
          names.push(`${module}.lora_A.weight`, `${module}.lora_B.weight`);
        }
      }
      return names;
    },
  };
}
