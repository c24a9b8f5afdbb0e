/** `training/pretrain-embeddings`: word2vec skip-gram on the model's own tokens, written into its word embeddings. */
import { SKIPGRAM_VERSION } from '@tunekit/native';
import { defineStage } from '@tunekit/pipeline';
import { embeddingParamsSchema, type EmbeddingParams } from '../embeddings/params.ts';

export default defineStage<EmbeddingParams>({
  id: 'training/pretrain-embeddings',
  version: '1',
  description: 'Skip-gram with negative sampling (word2vec, native, deterministic) over the corpus tokenized with the model\'s own tokenizer; the vectors, centred and rescaled, replace the word-embedding rows of the tokens trained.',
  params: embeddingParamsSchema,
  inputs: {
    model: { kind: 'model', description: 'A BERT with its tokenizer files (model-loader/create output or a checkpoint); its hidden_size is the vector size.' },
    corpus: { kind: 'corpus', description: 'Raw text (data-prep/corpus); only train_split is read.' },
  },
  outputs: {
    model: { kind: 'model', description: 'The same model (same head) with bert.embeddings.word_embeddings.weight replaced for trained ids; manifest embedding_pretraining.' },
    metrics: { kind: 'metrics', description: 'metrics.json: corpus tokens, trained ids, params, nearest-neighbour quality check.' },
  },
  // The numerics are the native kernel's (IEEE float32 in a fixed order, no tfjs): its version and the platform.
  fingerprint: () => ({ skipgram: SKIPGRAM_VERSION, platform: process.platform, arch: process.arch }),
  async run(ctx) {
    const { runPretrainEmbeddings } = await import('../embeddings/run.ts');
    await runPretrainEmbeddings(ctx);
  },
});
