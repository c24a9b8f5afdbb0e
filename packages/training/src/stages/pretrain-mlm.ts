/** `training/pretrain-mlm`: masked-LM pre-training of a BERT (from model-loader/create or a checkpoint) on a corpus. */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defaultWorkerCount } from '@tunekit/compute/worker-count';
import { defineStage } from '@tunekit/pipeline';
import { pretrainParamsSchema, type PretrainParams } from '../mlm/params.ts';

export default defineStage<PretrainParams>({
  id: 'training/pretrain-mlm',
  version: '2',
  description: 'Masked-language-model pre-training (15% selected: 80% [MASK], 10% random, 10% kept) on a corpus artifact, reporting the held-out MLM loss.',
  params: pretrainParamsSchema,
  inputs: {
    model: { kind: 'model', description: 'A BERT with its tokenizer files (model-loader/create output, or a checkpoint to continue).' },
    corpus: { kind: 'corpus', description: 'Raw text (data-prep/corpus) with train and validation splits.' },
  },
  outputs: {
    model: { kind: 'model', description: 'The pre-trained BertForMaskedLM in HF layout with the tokenizer files.' },
    metrics: { kind: 'metrics', description: 'metrics.json: held-out MLM loss per evaluation, steps, speed.' },
  },
  // The effective replica count changes the numbers (data-parallel summation order, per-replica dropout).
  fingerprint: (params) => ({ ...fingerprint(), workers: params.workers ?? defaultWorkerCount() }),
  async run(ctx) {
    const { runPretrainMlm } = await import('../mlm/run.ts');
    await runPretrainMlm(ctx);
  },
});
