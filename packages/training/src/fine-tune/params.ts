/** Params of `training/fine-tune` (the `with:` block). */
import { loopParamsSchema, type LoopParams } from '../loop/params-schema.ts';

export interface FineTuneParams extends LoopParams {
  metric: string;
  metric_mode: 'max' | 'min';
  train_split: string;
  validation_split: string;
  overrides_by_strategy: Record<string, Partial<LoopParams>>;
  decoding: 'viterbi' | 'argmax';
}

export const fineTuneParamsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...loopParamsSchema,
    metric: { type: 'string', default: 'eval_f1', description: 'Evaluation metric for the best model and early stopping: eval_f1 (entity F1, seqeval default mode, for NER; macro F1 for classification), eval_loss, eval_accuracy, eval_precision, eval_recall.' },
    metric_mode: { type: 'string', enum: ['max', 'min'], default: 'max', description: 'Whether a larger metric is better (max) or a smaller one (min, e.g. eval_loss).' },
    train_split: { type: 'string', default: 'train', description: 'Split of the encoded dataset to train on.' },
    validation_split: { type: 'string', default: 'validation', description: 'Split used for evaluation, best model and early stopping.' },
    decoding: { type: 'string', enum: ['viterbi', 'argmax'], default: 'viterbi', description: 'Token classification: how validation predictions are decoded, as evaluation/ner does — `viterbi`: the most probable valid IOB2 sequence per sentence; `argmax`: each word\'s top tag.' },
    overrides_by_strategy: {
      type: 'object',
      additionalProperties: { type: 'object' },
      default: {},
      description: 'Params per strategy name, e.g. {lora: {learning_rate: 1e-3}}, used when the input model carries that strategy: one matrix stage trains each strategy with its own hyper-parameters.',
    },
  },
} as const;
