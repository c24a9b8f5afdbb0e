/**
 * The benchmarked model: @tunekit/model-loader's BertForTokenClassification (`createModel`), with
 * rank-8 LoRA adapters on query/value for the `lora` strategy (frozen base, trainable adapters and
 * head, as PEFT and ../shared/reference-bench). Falls back to the micro model composed of
 * @tunekit/compute ops when model-loader is not available.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropout, linear } from '@tunekit/compute';
import { createMicroBert } from './micro-bert.ts';

export interface BenchModel {
  name: string;
  /** Parameters the optimizer updates, by HF name. */
  trainable: Map<string, tf.Variable>;
  logits(ids: tf.Tensor2D, mask: tf.Tensor2D, step: number): tf.Tensor;
}

export interface Shape {
  layers: number;
  hidden: number;
  heads: number;
  ffn: number;
  vocab: number;
  labels: number;
}

export async function createBenchModel(shape: Shape, strategy: 'full' | 'lora'): Promise<BenchModel> {
  let loader: typeof import('@tunekit/model-loader') | undefined;
  try {
    loader = await import('@tunekit/model-loader');
  } catch {
    loader = undefined;
  }
  if (!loader?.createModel) return microModel(shape, strategy);
  const config = {
    model_type: 'bert', vocab_size: shape.vocab, hidden_size: shape.hidden, num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads, intermediate_size: shape.ffn, hidden_act: 'gelu' as const, max_position_embeddings: 512,
    type_vocab_size: 2, layer_norm_eps: 1e-12, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1,
  };
  const labels = Array.from({ length: shape.labels }, (_, i) => `L${i}`);
  const model = loader.createModel(config, 'token-classification', 42, { labels });
  const trainable = new Map<string, tf.Variable>();
  if (strategy === 'full') {
    for (const [name, v] of model.params) trainable.set(name, v);
  } else {
    for (const name of ['classifier.weight', 'classifier.bias']) trainable.set(name, model.params.get(name)!);
    let seed = 7;
    for (let i = 0; i < shape.layers; i++) {
      for (const m of ['query', 'value']) {
        const module = `bert.encoder.layer.${i}.attention.self.${m}`;
        const a = tf.variable(tf.mul(tf.randomNormal([8, shape.hidden], 0, 1, 'float32', seed++), 1 / Math.sqrt(shape.hidden)), true, `${module}.lora_A.weight`);
        const b = tf.variable(tf.zeros([shape.hidden, 8]), true, `${module}.lora_B.weight`);
        trainable.set(a.name, a);
        trainable.set(b.name, b);
        model.wrapLinear(module, (x, base, options) => {
          const dropped = options.training ? dropout(x, 0.1, (options.seed ?? 0) + seed) : x;
          return tf.add(base(x), tf.mul(linear(linear(dropped, a as tf.Variable<tf.Rank.R2>), b as tf.Variable<tf.Rank.R2>), 16 / 8));
        });
      }
    }
  }
  return {
    name: '@tunekit/model-loader BertForTokenClassification',
    trainable,
    logits: (ids, mask, step) => model.forward({ inputIds: ids, attentionMask: mask }, { training: true, seed: step }).logits!,
  };
}

function microModel(shape: Shape, strategy: 'full' | 'lora'): BenchModel {
  const model = createMicroBert({ vocab: shape.vocab, hidden: shape.hidden, layers: shape.layers, heads: shape.heads, ffn: shape.ffn, maxPositions: 512, labels: shape.labels, dropout: 0.1 });
  const names = strategy === 'full' ? [...model.params.keys()] : [...model.addLora(8, 16), 'classifier.weight', 'classifier.bias'];
  return {
    name: 'micro-bert (compute ops; model-loader not available)',
    trainable: new Map(names.map((n) => [n, model.params.get(n)!])),
    logits: (ids, mask, step) => model.logits(ids, mask, true, step),
  };
}
