/** `training/pretrain-electra`: ELECTRA replaced-token-detection pre-training of a BERT discriminator with a small shared-embedding generator. */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defaultWorkerCount } from '@tunekit/compute/worker-count';
import { defineStage } from '@tunekit/pipeline';
import { electraParamsSchema, type ElectraParams } from '../electra/params.ts';

export default defineStage<ElectraParams>({
  id: 'training/pretrain-electra',
  version: '1',
  description: 'ELECTRA pre-training (Clark et al. 2020): a small masked-LM generator fills 15% of the tokens with samples, the BERT discriminator learns to tell replaced from original at every token.',
  params: electraParamsSchema,
  inputs: {
    model: { kind: 'model', description: 'The discriminator: a BERT with its tokenizer files (model-loader/create output, or a checkpoint); an MLM head is dropped.' },
    corpus: { kind: 'corpus', description: 'Raw text (data-prep/corpus) with train and validation splits.' },
  },
  outputs: {
    model: { kind: 'model', description: 'The discriminator in HF layout (BertForTokenClassification, labels original/replaced) with the tokenizer files: load it with any head.' },
    generator: { kind: 'model', description: 'The generator (BERT masked-LM with factorised embeddings: embedding_size = the discriminator width) for re-measuring its held-out loss.' },
    metrics: { kind: 'metrics', description: 'metrics.json: held-out generator MLM loss vs the unigram baseline, discriminator loss / accuracy / AUC per evaluation, steps.' },
  },
  // The effective replica count changes the numbers (data-parallel summation order, per-replica dropout).
  fingerprint: (params) => ({ ...fingerprint(), workers: params.workers ?? defaultWorkerCount() }),
  async run(ctx) {
    const { runPretrainElectra } = await import('../electra/run.ts');
    await runPretrainElectra(ctx);
  },
});
