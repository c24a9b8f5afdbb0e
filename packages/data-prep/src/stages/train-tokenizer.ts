import { defineStage } from '@tunekit/pipeline';
import type { TrainTokenizerParams } from '../tokenizer-training/train-tokenizer-params.ts';

export default defineStage<TrainTokenizerParams>({
  id: 'data-prep/train-tokenizer',
  version: '1',
  description: 'Train a BERT WordPiece vocabulary on a corpus artifact → tokenizer artifact (tokenizer.json, vocab.txt, tokenizer_config.json).',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      vocab_size: { type: 'integer', minimum: 16, maximum: 2000000, default: 8000, description: 'Vocabulary size, the 5 special tokens included.' },
      min_frequency: { type: 'integer', minimum: 0, default: 2, description: 'Stop merging when the most frequent pair occurs fewer times than this (`trainer: deterministic` only).' },
      lowercase: { type: 'boolean', default: true, description: 'Lower-case and strip accents (BERT uncased normaliser), for training and in the saved tokenizer.' },
      split: { type: 'string', default: 'train', description: 'Corpus split to train on.' },
      trainer: {
        enum: ['deterministic', 'tokenizers'],
        default: 'deterministic',
        description: "`deterministic`: HF WordPieceTrainer's algorithm with fixed tie-breaking (identical bytes every run). `tokenizers`: the Node binding's own `Tokenizer.train` with its default trainer (30,000 max, no min frequency, output varies between runs), truncated to `vocab_size`.",
      },
    },
  },
  inputs: { corpus: { kind: 'corpus', description: 'Raw-text corpus from data-prep/corpus.' } },
  outputs: { tokenizer: { kind: 'tokenizer', description: 'BERT WordPiece tokenizer in Hugging Face layout.' } },
  async fingerprint() {
    const { createRequire } = await import('node:module');
    return { tokenizers: (createRequire(import.meta.url)('tokenizers/package.json') as { version: string }).version };
  },
  async run(ctx) {
    const { trainTokenizer } = await import('../tokenizer-training/train-tokenizer.ts');
    const { writeAllOrNothing } = await import('../files/output-guard.ts');
    const out = ctx.outputs.tokenizer!.dir;
    await writeAllOrNothing(out, async () => {
      const summary = await trainTokenizer(ctx.inputs.corpus!.dir, out, ctx.params, (size) => ctx.progress.update(size, ctx.params.vocab_size, { unit: 'vocabulary' }));
      ctx.log.metrics({ vocab_size: summary.vocabSize, merges: summary.merges, corpus_words: summary.corpusWords, distinct_words: summary.distinctWords });
      if (summary.vocabSize < ctx.params.vocab_size) ctx.log.warn(`vocabulary has ${summary.vocabSize} tokens (< vocab_size ${ctx.params.vocab_size}): training stopped by ${summary.stoppedBy}`);
    });
  },
});
