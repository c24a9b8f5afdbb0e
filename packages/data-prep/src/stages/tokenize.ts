import { defineStage } from '@tunekit/pipeline';

export interface TokenizeParams {
  max_length: number;
  stride: number;
  label_all_subtokens: boolean;
  lowercase: boolean | null;
}

export default defineStage<TokenizeParams>({
  id: 'data-prep/tokenize',
  version: '1',
  description: 'Tokenize a word-level dataset with Hugging Face `tokenizers` into a binary encoded-dataset (sub-token labels, windows, word mapping).',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      max_length: { type: 'integer', minimum: 4, maximum: 8192, default: 128, description: 'Row length in sub-tokens, [CLS] and [SEP] included (pad/truncate/window to it).' },
      stride: { type: 'integer', minimum: 0, default: 32, description: 'Token classification: max sub-tokens shared by consecutive windows of a long sentence (capped at (max_length - 2) / 2).' },
      label_all_subtokens: { type: 'boolean', default: false, description: 'Label every sub-token (later sub-tokens of a B-X word get I-X) instead of the first only (-100 elsewhere).' },
      lowercase: { type: ['boolean', 'null'], default: null, description: 'Override `do_lower_case` when the tokenizer is built from vocab.txt; null = from tokenizer_config.json/config.json (default true).' },
    },
  },
  inputs: {
    dataset: { kind: 'dataset', description: 'Word-level dataset from a data-prep reader.' },
    tokenizer: { kind: 'tokenizer', description: 'A tokenizer or model artifact: a folder with tokenizer.json or vocab.txt (+ tokenizer_config.json / config.json).' },
  },
  outputs: { dataset: { kind: 'encoded-dataset', description: 'Binary encoded dataset (see loadEncodedDataset).' } },
  async fingerprint() {
    const { createRequire } = await import('node:module');
    return { tokenizers: (createRequire(import.meta.url)('tokenizers/package.json') as { version: string }).version };
  },
  async run(ctx) {
    const { readDataset } = await import('../dataset/read-dataset.ts');
    const { loadTokenizer } = await import('../tokenize/load-tokenizer.ts');
    const { tokenizeDataset } = await import('../tokenize/tokenize-dataset.ts');
    const { writeEncodedDataset } = await import('../encoded/write-encoded.ts');
    const { writeAllOrNothing } = await import('../files/output-guard.ts');
    const { max_length: maxLength, label_all_subtokens: labelAllSubtokens } = ctx.params;
    const stride = Math.min(ctx.params.stride, Math.floor((maxLength - 2) / 2));
    const { checkModelMaxLength } = await import('../tokenize/model-limits.ts');
    await checkModelMaxLength(ctx.inputs.tokenizer!.dir, maxLength);
    const { dataset } = await readDataset(ctx.inputs.dataset!.dir);
    const loaded = await loadTokenizer(ctx.inputs.tokenizer!.dir, { lowercase: ctx.params.lowercase });
    if (ctx.params.lowercase !== null && loaded.source === 'tokenizer.json') ctx.log.warn('`lowercase` is ignored: the tokenizer.json carries its own normalizer');
    const { encoded, stats } = await tokenizeDataset(dataset, loaded, { maxLength, stride, labelAllSubtokens });
    for (const [split, values] of Object.entries(stats)) for (const [key, value] of Object.entries(values)) ctx.log.metric(`${split}_${key}`, value);
    const out = ctx.outputs.dataset!.dir;
    await writeAllOrNothing(out, async () => {
      await writeEncodedDataset(
        out,
        encoded,
        {
          maxLength,
          ...(dataset.task === 'token-classification' ? { stride, labelAllSubtokens } : {}),
          tokenizer: {
            source: loaded.source,
            vocabSize: loaded.vocabSize,
            clsId: loaded.clsId,
            sepId: loaded.sepId,
            padId: loaded.padId,
            unkId: loaded.unkId,
            lowercase: loaded.lowercase ?? null,
          },
        },
        stats,
      );
    });
  },
});
