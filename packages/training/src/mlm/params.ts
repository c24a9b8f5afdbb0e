/** Params of `training/pretrain-mlm`. */
import { loopParamsSchema, type LoopParams } from '../loop/params-schema.ts';

export interface PretrainParams extends LoopParams {
  block_size: number;
  mlm_probability: number;
  train_split: string;
  validation_split: string;
  max_train_blocks: number;
  max_validation_blocks: number;
}

const { early_stopping_patience, early_stopping_threshold, ...shared } = loopParamsSchema;

export const pretrainParamsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...shared,
    early_stopping_patience,
    early_stopping_threshold,
    learning_rate: { ...loopParamsSchema.learning_rate, default: 5e-4 },
    epochs: { ...loopParamsSchema.epochs, default: 1 },
    warmup_ratio: { ...loopParamsSchema.warmup_ratio, default: 0.06 },
    block_size: { type: 'integer', minimum: 8, default: 128, description: 'Tokens per training block, [CLS] and [SEP] included.' },
    mlm_probability: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.15, description: 'Fraction of tokens selected for prediction (of which 80% [MASK], 10% random, 10% unchanged).' },
    train_split: { type: 'string', default: 'train', description: 'Corpus split to train on.' },
    validation_split: { type: 'string', default: 'validation', description: 'Held-out corpus split for the MLM loss (evaluation: no to skip).' },
    max_train_blocks: { type: 'integer', minimum: 0, default: 0, description: 'Use at most this many training blocks (0: all).' },
    max_validation_blocks: { type: 'integer', minimum: 0, default: 256, description: 'Evaluate on at most this many held-out blocks (0: all).' },
  },
} as const;
