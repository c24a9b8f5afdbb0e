/** Options of LoRA (Hu et al. 2021), named as PEFT's LoraConfig so adapter_config.json maps 1:1. */
export interface LoraConfig {
  r: number;
  alpha: number;
  dropout: number;
  target_modules: string[] | string;
  use_rslora: boolean;
  modules_to_save: string[] | null;
  bias: 'none' | 'all' | 'lora_only';
}

export const loraConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    r: { type: 'integer', minimum: 1, default: 8, description: 'Rank of the update B·A.' },
    alpha: { type: 'number', exclusiveMinimum: 0, default: 16, description: 'Scaling numerator: the update is scaled by alpha / r (alpha / sqrt(r) with use_rslora). PEFT: lora_alpha.' },
    dropout: { type: 'number', minimum: 0, maximum: 1, exclusiveMaximum: 1, default: 0, description: 'Dropout on the LoRA branch input during training. PEFT: lora_dropout.' },
    target_modules: {
      oneOf: [{ type: 'array', items: { type: 'string' }, minItems: 1 }, { type: 'string' }],
      default: ['query', 'value'],
      description: 'Linear modules to adapt: a list of names (a module matches when its name equals an entry or ends with "." + entry), a string regex (full match on the module name, as PEFT), or "all-linear" (every linear module but the task head). Only modules of the encoder and embeddings are targets (by module path): never the pooler or a head such as cls.predictions.transform.dense.',
    },
    use_rslora: { type: 'boolean', default: false, description: 'Rank-stabilised LoRA: scale by alpha / sqrt(r).' },
    modules_to_save: {
      type: ['array', 'null'],
      items: { type: 'string' },
      default: null,
      description: 'Modules trained in full and saved with the adapter. null: the task head (`classifier`, or `cls` for masked LM) when the model has one; [] trains no head. Modules the model initialised at random (a new head and its pooler on an MLM base) are always saved in the adapter too, frozen unless listed here.',
    },
    bias: {
      type: 'string',
      enum: ['none', 'all', 'lora_only'],
      default: 'none',
      description: 'Which biases train (and are saved): none, all biases, or only those of adapted modules.',
    },
  },
} as const;

export function loraScaling(config: LoraConfig): number {
  return config.use_rslora ? config.alpha / Math.sqrt(config.r) : config.alpha / config.r;
}
