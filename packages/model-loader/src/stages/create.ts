import { defineStage } from '@tunekit/pipeline';
import type { PositionInit } from '../bert/create.ts';
import type { TaskHead } from '../types.ts';

export interface CreateParams {
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  hidden_act: 'gelu' | 'gelu_new' | 'relu';
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  layer_norm_eps: number;
  initializer_range: number;
  position_init: PositionInit;
  head: TaskHead;
  labels?: string[];
}

const positiveInteger = (value: number, description: string) => ({ type: 'integer', minimum: 1, default: value, description });
const probability = (description: string) => ({ type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.1, description });

export default defineStage<CreateParams>({
  id: 'model-loader/create',
  version: '1',
  description: 'A new randomly initialised BERT (HF _init_weights, seeded) sized for a tokenizer, for pre-training from scratch.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      hidden_size: positiveInteger(128, 'Width of the encoder (a multiple of num_attention_heads).'),
      num_hidden_layers: positiveInteger(2, 'Number of transformer layers.'),
      num_attention_heads: positiveInteger(2, 'Attention heads per layer.'),
      intermediate_size: positiveInteger(512, 'Width of the feed-forward layer.'),
      max_position_embeddings: positiveInteger(512, 'Longest sequence the model accepts.'),
      type_vocab_size: positiveInteger(2, 'Number of segment (token type) ids.'),
      hidden_act: { enum: ['gelu', 'gelu_new', 'relu'], default: 'gelu', description: 'Feed-forward activation (gelu = exact erf form).' },
      hidden_dropout_prob: probability('Dropout on embeddings and sublayer outputs.'),
      attention_probs_dropout_prob: probability('Dropout on attention probabilities.'),
      layer_norm_eps: { type: 'number', exclusiveMinimum: 0, default: 1e-12, description: 'LayerNorm epsilon.' },
      initializer_range: { type: 'number', exclusiveMinimum: 0, default: 0.02, description: 'Standard deviation of the normal initialisation.' },
      position_init: {
        enum: ['normal', 'sinusoidal'],
        default: 'normal',
        description: 'Start of the learned position table: normal (HF) or sinusoidal (Vaswani et al.; neighbouring positions similar from step 0, scaled to a normal row\'s norm).',
      },
      head: { enum: ['none', 'token-classification', 'sequence-classification', 'masked-lm'], default: 'masked-lm', description: 'Head on the encoder.' },
      labels: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true, description: 'Labels of a classification head.' },
    },
  },
  inputs: { tokenizer: { kind: 'tokenizer', description: 'Folder with vocab.txt or tokenizer.json: sets vocab_size and pad_token_id; copied into the model.' } },
  outputs: { model: { kind: 'model', description: 'HF folder: config.json, model.safetensors, tokenizer files, manifest.json.' } },
  async run(ctx) {
    const { writeManifest } = await import('@tunekit/pipeline');
    const { activateBackend } = await import('../runtime/backend.ts');
    const { createModel } = await import('../bert/create.ts');
    const { saveModel, tokenizerVocabulary } = await import('../checkpoint/index.ts');
    const { modelManifest } = await import('./model-manifest.ts');
    await activateBackend();
    const tokenizerDir = ctx.inputs.tokenizer!.dir;
    const vocabulary = await tokenizerVocabulary(tokenizerDir);
    const { head, labels, position_init, ...sizes } = ctx.params;
    const model = createModel({ model_type: 'bert', vocab_size: vocabulary.vocabSize, pad_token_id: vocabulary.padId ?? 0, ...sizes }, head, ctx.seed, { ...(labels ? { labels } : {}), positionInit: position_init });
    try {
      const out = ctx.outputs.model!.dir;
      const { files } = await saveModel(model, out, { tokenizerFrom: tokenizerDir });
      await writeManifest(out, modelManifest(model, files, { createdFrom: { seed: ctx.seed, tokenizer: ctx.inputs.tokenizer!.digest, vocabSize: vocabulary.vocabSize } }));
    } finally {
      model.dispose();
    }
  },
});
