/** Params of `training/pretrain-electra`: pretrain-mlm's (loop, corpus, masking) plus the generator's size and the loss weight. */
import { pretrainParamsSchema, type PretrainParams } from '../mlm/params.ts';

export interface ElectraParams extends PretrainParams {
  generator_size: number;
  generator_layers: number;
  discriminator_weight: number;
}

export const electraParamsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...pretrainParamsSchema.properties,
    mlm_probability: { ...pretrainParamsSchema.properties.mlm_probability, description: 'Fraction of tokens selected for the generator (80% [MASK], 10% random, 10% unchanged) and then replaced by its samples.' },
    generator_size: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.25, description: "Generator width as a fraction of the discriminator's: hidden size, attention heads (at least 1, same head width) and FFN (ELECTRA-small: 1/4)." },
    generator_layers: { type: 'integer', minimum: 0, default: 0, description: "Generator encoder layers; 0: the discriminator's depth." },
    discriminator_weight: { type: 'number', exclusiveMinimum: 0, default: 50, description: 'λ in loss = generator MLM loss + λ · discriminator loss (the paper: 50).' },
  },
} as const;
