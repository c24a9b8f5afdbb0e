/**
 * `evaluation/forgetting`: masked-LM loss of the encoder on general text before and after
 * fine-tuning. "Before" is the pre-trained base model with its MLM head; "after" is the same
 * MLM head (decoder tied to the word embeddings, as in BERT) on top of the fine-tuned encoder
 * (every `bert.*` tensor of the fine-tuned model copied in). Same masked positions for both.
 */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defineStage } from '@tunekit/pipeline';

export interface ForgettingParams {
  split: string;
  max_sequences: number;
  max_length: number;
  mask_probability: number;
  batch_size: number;
  name?: string;
  strategy?: string;
}

export default defineStage<ForgettingParams>({
  id: 'evaluation/forgetting',
  version: '2',
  fingerprint,
  description: 'Masked-LM loss on a general-text corpus with the base encoder and with the fine-tuned encoder (catastrophic forgetting).',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      split: { type: 'string', default: 'validation', description: 'Corpus split to score.' },
      max_sequences: { type: 'integer', minimum: 1, default: 64, description: 'Rows of max_length sub-tokens scored (cut from the documents in order).' },
      max_length: { type: 'integer', minimum: 8, default: 128, description: 'Sub-tokens per row, [CLS]/[SEP] included.' },
      mask_probability: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.15, description: 'Share of positions masked (seeded by the stage seed).' },
      batch_size: { type: 'integer', minimum: 1, default: 8, description: 'Rows per forward pass.' },
      name: { type: 'string', description: 'Name in the report; default: matrix values of the stage id.' },
      strategy: { type: 'string', description: 'Strategy; default: the `strategy` matrix value.' },
    },
  },
  inputs: {
    base: { kind: 'model', description: 'pre-trained model with its masked-LM head (cls.predictions.*)' },
    model: { kind: 'model', description: 'fine-tuned model (any head)' },
    corpus: { kind: 'corpus', description: 'general text (data-prep/corpus), e.g. WikiText-2' },
  },
  outputs: { metrics: { kind: 'metrics', description: 'metrics.json (kind forgetting)' } },
  async run(ctx) {
    const p = ctx.params;
    const { readCorpusArtifact, loadTokenizer } = await import('@tunekit/data-prep');
    const loader = await import('@tunekit/model-loader');
    const { maskedRows } = await import('../forgetting/masked-sequences.ts');
    const { copyEncoder, maskedLmLoss } = await import('../forgetting/mlm-loss.ts');
    const { writeMetricsArtifact } = await import('./write-metrics-artifact.ts');
    const { coordinates, displayName } = await import('./stage-helpers.ts');

    const { splits } = await readCorpusArtifact(ctx.inputs.corpus!.dir);
    const documents = splits[p.split];
    if (!documents) throw new Error(`corpus has no split "${p.split}" (splits: ${Object.keys(splits).join(', ')})`);
    const tok = await loadTokenizer(ctx.inputs.base!.dir);
    const maskId = tok.tokenizer.tokenToId('[MASK]');
    if (maskId === null || maskId === undefined) throw new Error(`${ctx.inputs.base!.dir}: the tokenizer has no [MASK] token`);
    const encodings = await tok.tokenizer.encodeBatch(documents, { addSpecialTokens: false });
    const data = maskedRows(
      encodings.map((e) => e.getIds()),
      { clsId: tok.clsId, sepId: tok.sepId, padId: tok.padId, maskId },
      { maxLength: p.max_length, maxRows: p.max_sequences, maskProbability: p.mask_probability, seed: ctx.seed },
    );
    await loader.activateBackend();
    const base = await loader.loadModel(ctx.inputs.base!.dir, { head: 'masked-lm' });
    let before: number;
    let after: number;
    try {
      // Progress over both passes: the base model's sequences, then the fine-tuned one's.
      const progress = (offset: number) => (done: number) => ctx.progress.update(offset + done, 2 * data.rows, { unit: 'rows' });
      before = await maskedLmLoss(base, data, p.batch_size, progress(0));
      // The fine-tuned encoder as it predicts: LoRA merged into the weights; adapters (which cannot
      // be merged) re-applied to the base model's encoder after the copy.
      const { loadModelWithStrategy, restoreStrategy } = await import('@tunekit/strategies');
      const { model: tuned, strategy } = await loadModelWithStrategy(ctx.inputs.model!.dir, { strict: false, merge: true });
      try {
        copyEncoder(tuned, base);
      } finally {
        tuned.dispose();
      }
      if (strategy && strategy.addedParams.length > 0 && !strategy.merge) await restoreStrategy(base, ctx.inputs.model!.dir);
      after = await maskedLmLoss(base, data, p.batch_size, progress(data.rows));
    } finally {
      base.dispose();
    }
    const strategy = p.strategy ?? coordinates(ctx.stageId).strategy;
    await writeMetricsArtifact(ctx, ctx.outputs.metrics!.dir, {
      schemaVersion: 1,
      kind: 'forgetting',
      name: p.name ?? displayName(ctx.stageId),
      ...(strategy ? { strategy } : {}),
      task: 'masked-lm',
      split: p.split,
      metrics: { mlm_loss_before: before, mlm_loss_after: after, mlm_loss_increase: after - before, masked_positions: data.masked, sequences: data.rows },
      forgetting: { corpus: p.split, metric: 'mlm_loss', before, after },
    });
    ctx.log.info(`MLM loss ${before.toFixed(4)} → ${after.toFixed(4)} on ${data.masked} masked positions`);
  },
});
