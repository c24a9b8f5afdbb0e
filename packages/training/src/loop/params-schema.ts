/** JSON-schema properties of the loop options shared by `training/fine-tune` and `training/pretrain-mlm` (snake_case as in YAML). */
export const loopParamsSchema = {
  learning_rate: { type: 'number', exclusiveMinimum: 0, default: 5e-5, description: 'Peak learning rate of AdamW.' },
  epochs: { type: 'integer', minimum: 1, default: 3, description: 'Passes over the training split (ignored when max_steps > 0).' },
  max_steps: { type: 'integer', minimum: 0, default: 0, description: 'Stop after this many optimizer steps; 0: use epochs.' },
  batch_size: { type: 'integer', minimum: 1, default: 16, description: 'Rows per micro-batch.' },
  gradient_accumulation_steps: { type: 'integer', minimum: 1, default: 1, description: 'Micro-batches whose gradients are summed into one optimizer step.' },
  schedule: { type: 'string', enum: ['linear', 'cosine', 'constant'], default: 'linear', description: 'Learning-rate schedule after warmup (HF semantics).' },
  warmup_steps: { type: 'integer', minimum: 0, default: 0, description: 'Linear warmup from 0, in optimizer steps.' },
  warmup_ratio: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'Warmup as a fraction of all steps (ceil); wins over warmup_steps when > 0.' },
  weight_decay: { type: 'number', minimum: 0, default: 0.01, description: 'Decoupled (AdamW) weight decay; never applied to biases and LayerNorm parameters.' },
  adam_beta1: { type: 'number', minimum: 0, maximum: 1, default: 0.9, description: 'AdamW β1.' },
  adam_beta2: { type: 'number', minimum: 0, maximum: 1, default: 0.999, description: 'AdamW β2.' },
  adam_epsilon: { type: 'number', exclusiveMinimum: 0, default: 1e-8, description: 'AdamW ε.' },
  max_grad_norm: { type: 'number', minimum: 0, default: 1.0, description: 'Clip gradients to this global L2 norm; 0 disables clipping.' },
  evaluation: { type: 'string', enum: ['epoch', 'steps', 'no'], default: 'epoch', description: 'When to evaluate on the validation split (always also after the last step).' },
  eval_steps: { type: 'integer', minimum: 0, default: 0, description: 'With evaluation: steps, evaluate every N optimizer steps.' },
  early_stopping_patience: { type: 'integer', minimum: 0, default: 0, description: 'Stop after this many evaluations without improvement; 0 disables early stopping.' },
  early_stopping_threshold: { type: 'number', minimum: 0, default: 0, description: 'Minimum change of the metric that counts as an improvement.' },
  keep_best: { type: 'boolean', default: true, description: 'Output the weights of the best evaluation instead of the last step.' },
  checkpoint_steps: { type: 'integer', minimum: 0, default: 50, description: 'Write a resumable checkpoint to the stage scratch directory every N optimizer steps; 0 disables.' },
  checkpoint_minutes: { type: 'number', minimum: 0, default: 5, description: 'Also write a checkpoint when this many minutes passed since the last one (any step); 0 disables. Both 0: no checkpoints.' },
  workers: {
    type: 'integer',
    minimum: 1,
    maximum: 64,
    'x-default': 'TUNEKIT_WORKERS, else one per core',
    description: 'Data-parallel replicas (worker threads, each training on its share of every batch); 1: the whole batch in the stage process. The effective count is in the cache key (the stage fingerprint).',
  },
  group_by_length: { type: 'boolean', default: true, description: 'Batch rows of similar length together (less padding), order still seeded.' },
  logging_steps: { type: 'integer', minimum: 1, default: 1, description: 'Log loss, learning_rate, grad_norm and tokens_per_s every N optimizer steps.' },
  eval_batch_size: { type: 'integer', minimum: 1, default: 64, description: 'Rows per evaluation batch.' },
} as const;

export interface LoopParams {
  learning_rate: number;
  epochs: number;
  max_steps: number;
  batch_size: number;
  gradient_accumulation_steps: number;
  schedule: 'linear' | 'cosine' | 'constant';
  warmup_steps: number;
  warmup_ratio: number;
  weight_decay: number;
  adam_beta1: number;
  adam_beta2: number;
  adam_epsilon: number;
  max_grad_norm: number;
  evaluation: 'epoch' | 'steps' | 'no';
  eval_steps: number;
  early_stopping_patience: number;
  early_stopping_threshold: number;
  keep_best: boolean;
  checkpoint_steps: number;
  /** Optional in the type (callers from before it existed); the stage schemas default it to 5. */
  checkpoint_minutes?: number;
  /** Unset: `defaultWorkerCount()` (TUNEKIT_WORKERS, else one per core). */
  workers?: number;
  group_by_length: boolean;
  logging_steps: number;
  eval_batch_size: number;
}
