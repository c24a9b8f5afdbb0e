import * as tf from '@tensorflow/tfjs-core';
import { activation, attention, dropout, embeddingLookup, layerNorm, linear } from '@tunekit/compute';
import type { BertConfig, BertModel, ForwardOptions, LinearWrapper, ModelInputs, ModelOutputs, SublayerHook, TaskHead } from '../types.ts';
import { headUsesPooler } from './heads.ts';
import { EMBEDDINGS_PROJECT, linearModuleNames, type ParameterSpec } from './parameter-layout.ts';

/**
 * BERT encoder + task head in tfjs with Hugging Face names and semantics (`modeling_bert.py`).
 * Every computation goes through the `@tunekit/compute` layer primitives.
 */
export class TfBertModel implements BertModel {
  readonly params = new Map<string, tf.Variable>();
  trainable: Set<string>;
  /** The model's own parameters (what `saveModel` writes); strategies may add more to `params`. */
  readonly baseParameters: readonly ParameterSpec[];
  readonly hasPooler: boolean;
  private readonly linears: string[];
  private readonly wrappers = new Map<string, LinearWrapper>();
  private readonly hooks = new Map<string, SublayerHook>();

  constructor(readonly config: BertConfig, readonly head: TaskHead, specs: ParameterSpec[], values: Map<string, tf.Tensor>) {
    this.baseParameters = specs;
    for (const spec of specs) {
      const value = values.get(spec.name);
      if (!value) throw new Error(`internal: no value for parameter ${spec.name}`);
      if (!tf.util.arraysEqual(value.shape, spec.shape)) {
        throw new Error(`parameter ${spec.name} has shape [${value.shape}], expected [${spec.shape}]`);
      }
      this.params.set(spec.name, tf.variable(value, true));
    }
    this.hasPooler = this.params.has('bert.pooler.dense.weight');
    this.linears = linearModuleNames(specs, head);
    // A pooler kept from the checkpoint but unused by the head receives no gradient: not trainable.
    const unused = (name: string) => name.startsWith('bert.pooler.') && !headUsesPooler(head);
    this.trainable = new Set([...this.params.keys()].filter((name) => !unused(name)));
  }

  linearModules(): string[] {
    return [...this.linears];
  }

  sublayerHookPoints(): string[] {
    const points: string[] = [];
    for (let i = 0; i < this.config.num_hidden_layers; i++) points.push(`bert.encoder.layer.${i}.attention.output`, `bert.encoder.layer.${i}.output`);
    return points;
  }

  wrapLinear(module: string, wrapper: LinearWrapper | null): void {
    if (!this.linears.includes(module)) throw new Error(`wrapLinear: unknown linear module "${module}" (e.g. ${this.linears.slice(0, 3).join(', ')})`);
    if (wrapper) this.wrappers.set(module, wrapper);
    else this.wrappers.delete(module);
  }

  setSublayerHook(module: string, hook: SublayerHook | null): void {
    if (!this.sublayerHookPoints().includes(module)) {
      throw new Error(`setSublayerHook: unknown hook point "${module}" (expected bert.encoder.layer.N.attention.output or bert.encoder.layer.N.output)`);
    }
    if (hook) this.hooks.set(module, hook);
    else this.hooks.delete(module);
  }

  forward(inputs: ModelInputs, options: ForwardOptions = {}): ModelOutputs {
    const { config } = this;
    const [batch, length] = inputs.inputIds.shape;
    if (inputs.inputIds.rank !== 2) throw new Error(`forward: inputIds must be [batch, length], got shape [${inputs.inputIds.shape}]`);
    if (length > config.max_position_embeddings) {
      throw new Error(`forward: sequence length ${length} exceeds max_position_embeddings ${config.max_position_embeddings}`);
    }
    for (const [name, tensor] of [['attentionMask', inputs.attentionMask], ['tokenTypeIds', inputs.tokenTypeIds]] as const) {
      if (tensor && !tf.util.arraysEqual(tensor.shape, [batch, length])) throw new Error(`forward: ${name} shape [${tensor.shape}] differs from inputIds [${batch},${length}]`);
    }
    const training = options.training === true;
    let site = 0;
    // One seed per dropout site so that masks differ between sites but repeat for the same call seed.
    const seedFor = () => (options.seed === undefined ? undefined : (options.seed * 1009 + site++ * 7919) % 2147483647);
    const drop = (x: tf.Tensor, rate: number) => {
      const seed = seedFor();
      return training ? dropout(x, rate, seed) : x;
    };
    const p = (name: string) => {
      const variable = this.params.get(name);
      if (!variable) throw new Error(`forward: parameter ${name} is missing`);
      return variable;
    };
    const dense = (module: string, x: tf.Tensor, weight = `${module}.weight`, bias = `${module}.bias`): tf.Tensor => {
      const base = (input: tf.Tensor) => linear(input, p(weight) as tf.Tensor2D, p(bias) as tf.Tensor1D);
      const wrapper = this.wrappers.get(module);
      return wrapper ? wrapper(x, base, options) : base(x);
    };
    const norm = (module: string, x: tf.Tensor) => layerNorm(x, p(`${module}.weight`) as tf.Tensor1D, p(`${module}.bias`) as tf.Tensor1D, config.layer_norm_eps);
    const hook = (point: string, x: tf.Tensor) => {
      const fn = this.hooks.get(point);
      return fn ? fn(x, options) : x;
    };

    return tf.tidy(() => {
      const typeIds = inputs.tokenTypeIds ?? tf.zeros([batch, length], 'int32');
      const positions = tf.range(0, length, 1, 'int32');
      let hidden = tf.add(
        tf.add(embeddingLookup(p('bert.embeddings.word_embeddings.weight') as tf.Tensor2D, inputs.inputIds), embeddingLookup(p('bert.embeddings.token_type_embeddings.weight') as tf.Tensor2D, typeIds)),
        embeddingLookup(p('bert.embeddings.position_embeddings.weight') as tf.Tensor2D, positions),
      );
      hidden = drop(norm('bert.embeddings.LayerNorm', hidden), config.hidden_dropout_prob);
      if (this.params.has(`${EMBEDDINGS_PROJECT}.weight`)) hidden = dense(EMBEDDINGS_PROJECT, hidden);
      const hiddenStates: tf.Tensor3D[] = [hidden as tf.Tensor3D];
      const mask = inputs.attentionMask ?? null;

      for (let i = 0; i < config.num_hidden_layers; i++) {
        const layer = `bert.encoder.layer.${i}`;
        const q = dense(`${layer}.attention.self.query`, hidden) as tf.Tensor3D;
        const k = dense(`${layer}.attention.self.key`, hidden) as tf.Tensor3D;
        const v = dense(`${layer}.attention.self.value`, hidden) as tf.Tensor3D;
        const context = attention(q, k, v, mask, {
          numHeads: config.num_attention_heads,
          dropout: config.attention_probs_dropout_prob,
          training,
          seed: seedFor(),
        });
        let attended = drop(dense(`${layer}.attention.output.dense`, context), config.hidden_dropout_prob);
        attended = hook(`${layer}.attention.output`, attended);
        const afterAttention = norm(`${layer}.attention.output.LayerNorm`, tf.add(attended, hidden));
        const intermediate = activation(dense(`${layer}.intermediate.dense`, afterAttention), config.hidden_act);
        let output = drop(dense(`${layer}.output.dense`, intermediate), config.hidden_dropout_prob);
        output = hook(`${layer}.output`, output);
        hidden = norm(`${layer}.output.LayerNorm`, tf.add(output, afterAttention));
        hiddenStates.push(hidden as tf.Tensor3D);
      }

      const outputs: ModelOutputs = { lastHiddenState: hidden as tf.Tensor3D };
      if (this.hasPooler) {
        const first = tf.reshape(tf.slice(hidden, [0, 0, 0], [batch, 1, config.hidden_size]), [batch, config.hidden_size]);
        outputs.pooled = activation(dense('bert.pooler.dense', first), 'tanh') as tf.Tensor2D;
      }
      const classifierDropout = typeof config.classifier_dropout === 'number' ? config.classifier_dropout : config.hidden_dropout_prob;
      if (this.head === 'token-classification') {
        outputs.logits = dense('classifier', drop(hidden, classifierDropout));
      } else if (this.head === 'sequence-classification') {
        outputs.logits = dense('classifier', drop(outputs.pooled!, classifierDropout));
      } else if (this.head === 'masked-lm') {
        const transformed = norm('cls.predictions.transform.LayerNorm', activation(dense('cls.predictions.transform.dense', hidden), config.hidden_act));
        outputs.logits = dense('cls.predictions.decoder', transformed, 'bert.embeddings.word_embeddings.weight', 'cls.predictions.bias');
      }
      if (options.outputHiddenStates) outputs.hiddenStates = hiddenStates;
      return outputs as unknown as tf.TensorContainer;
    }) as unknown as ModelOutputs;
  }

  dispose(): void {
    for (const variable of this.params.values()) variable.dispose();
    this.params.clear();
  }
}
