/**
 * The pair `training/pretrain-electra` trains, seen by the loop as one model: the discriminator (the
 * input BERT with a two-label token-classification head: original / replaced) and a smaller masked-LM
 * generator that shares the discriminator's embedding block — word, position and token-type
 * embeddings and their LayerNorm, the same variables (as the original ELECTRA code, whose generator
 * and discriminator reuse one `embeddings` scope); the generator projects them to its width and its
 * tied decoder reads the shared word embeddings. `params` holds the discriminator's parameters under
 * their own names and the generator's under `generator.<name>` (shared ones once, under the
 * discriminator's name), so optimizer, checkpoints and data-parallel replicas treat it as one model.
 * Built the same way in the stage and in each replica.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createModel, loadModel, type BertModel, type ForwardOptions, type LinearWrapper, type ModelInputs, type ModelOutputs, type SublayerHook } from '@tunekit/model-loader';
import { deriveSeed } from '@tunekit/pipeline/sdk';
import { sparseDecoder } from '../mlm/task.ts';
import { generatorConfig, type GeneratorOptions } from './generator-config.ts';

export const DISCRIMINATOR_LABELS = ['original', 'replaced'];
export const GENERATOR_PREFIX = 'generator.';
export const SHARED_EMBEDDINGS = [
  'bert.embeddings.word_embeddings.weight',
  'bert.embeddings.position_embeddings.weight',
  'bert.embeddings.token_type_embeddings.weight',
  'bert.embeddings.LayerNorm.weight',
  'bert.embeddings.LayerNorm.bias',
];

export class ElectraModel implements BertModel {
  readonly params = new Map<string, tf.Variable>();
  trainable: Set<string>;
  /** The generator's tied decoder, restricted to the masked positions while a batch is set. */
  readonly generatorDecoder: ReturnType<typeof sparseDecoder>;

  constructor(
    readonly discriminator: BertModel,
    readonly generator: BertModel,
  ) {
    for (const name of SHARED_EMBEDDINGS) {
      const shared = discriminator.params.get(name);
      const own = generator.params.get(name);
      if (!shared || !own) throw new Error(`pretrain-electra: no ${name} to share`);
      if (!tf.util.arraysEqual(shared.shape, own.shape)) throw new Error(`pretrain-electra: ${name} is [${shared.shape}] in the discriminator, [${own.shape}] in the generator`);
      own.dispose();
      generator.params.set(name, shared);
    }
    for (const [name, variable] of discriminator.params) this.params.set(name, variable);
    for (const [name, variable] of generator.params) if (!SHARED_EMBEDDINGS.includes(name)) this.params.set(GENERATOR_PREFIX + name, variable);
    this.trainable = new Set([...discriminator.trainable, ...[...generator.trainable].filter((n) => !SHARED_EMBEDDINGS.includes(n)).map((n) => GENERATOR_PREFIX + n)]);
    this.generatorDecoder = sparseDecoder(generator);
  }

  get config() {
    return this.discriminator.config;
  }

  get head() {
    return this.discriminator.head;
  }

  /** The discriminator's forward (replaced-token logits). */
  forward(inputs: ModelInputs, options?: ForwardOptions): ModelOutputs {
    return this.discriminator.forward(inputs, options);
  }

  linearModules(): string[] {
    return this.discriminator.linearModules();
  }

  wrapLinear(module: string, wrapper: LinearWrapper | null): void {
    this.discriminator.wrapLinear(module, wrapper);
  }

  setSublayerHook(module: string, hook: SublayerHook | null): void {
    this.discriminator.setSublayerHook(module, hook);
  }

  dispose(): void {
    for (const [name, variable] of this.generator.params) if (!SHARED_EMBEDDINGS.includes(name)) variable.dispose();
    this.generator.params.clear();
    this.discriminator.dispose();
    this.params.clear();
  }
}

/**
 * The input BERT as the discriminator (its MLM head, if any, dropped; a new original/replaced
 * classifier) and a new generator initialised from `seed` (HF `_init_weights`).
 */
export async function loadElectraModel(modelDir: string, seed: number, options: GeneratorOptions, check?: (discriminator: BertModel) => void): Promise<ElectraModel> {
  const discriminator = await loadModel(modelDir, { head: 'token-classification', labels: DISCRIMINATOR_LABELS, seed });
  try {
    if (typeof discriminator.config.embedding_size === 'number' && discriminator.config.embedding_size !== discriminator.config.hidden_size) {
      throw new Error(`${modelDir}: the discriminator must be a plain BERT (embedding_size ${discriminator.config.embedding_size} ≠ hidden_size ${discriminator.config.hidden_size})`);
    }
    check?.(discriminator);
    const generator = createModel(generatorConfig(discriminator.config, options), 'masked-lm', deriveSeed(seed, 0x6e4));
    return new ElectraModel(discriminator, generator);
  } catch (error) {
    discriminator.dispose();
    throw error;
  }
}
