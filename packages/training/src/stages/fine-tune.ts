/**
 * `training/fine-tune`: train a token- or sequence-classification model on an encoded dataset,
 * re-applying the strategy the input model carries (full fine-tuning when it carries none).
 */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defaultWorkerCount } from '@tunekit/compute/worker-count';
import { defineStage } from '@tunekit/pipeline';
import { fineTuneParamsSchema, type FineTuneParams } from '../fine-tune/params.ts';

export default defineStage<FineTuneParams>({
  id: 'training/fine-tune',
  version: '3',
  description: 'Fine-tune a BERT with a task head sized from the dataset labels (AdamW, schedules, clipping, accumulation, evaluation, early stopping, resumable checkpoints).',
  params: fineTuneParamsSchema,
  inputs: {
    model: { kind: 'model', description: 'Base model, optionally with a strategy (strategies/<name> output).' },
    dataset: { kind: 'encoded-dataset', description: 'Tokenized dataset (data-prep/tokenize) with train and validation splits.' },
  },
  outputs: {
    model: { kind: 'model', description: 'The best (or last) model in HF layout + strategy files (+ PEFT adapter for LoRA).' },
    metrics: { kind: 'metrics', description: 'metrics.json: per-evaluation history, best step, speed.' },
  },
  // The effective replica count changes the numbers (data-parallel summation order, per-replica dropout).
  fingerprint: (params) => ({ ...fingerprint(), workers: params.workers ?? defaultWorkerCount() }),
  async run(ctx) {
    const { runFineTune } = await import('../fine-tune/run.ts');
    await runFineTune(ctx);
  },
});
