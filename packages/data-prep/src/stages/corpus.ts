import { defineStage } from '@tunekit/pipeline';
import { READ_LIMIT_PARAMS } from '../files/read-limits.ts';
import { filesParam } from '../files/resolve-file.ts';
import type { CorpusParams } from '../corpus/corpus-params.ts';

const files = filesParam;

export default defineStage<CorpusParams>({
  id: 'data-prep/corpus',
  version: '1',
  description: 'Read raw text (documents separated by blank lines, or WikiText) into a corpus artifact for MLM pre-training and tokenizer training.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['train'],
    properties: {
      train: files('Text file(s) for the train split, read in order.'),
      validation: files('Text file(s) for the validation split; omit to hold out `validation_from_train` instead.'),
      format: {
        enum: ['auto', 'blank-line', 'wikitext'],
        default: 'auto',
        description: '`blank-line`: documents separated by blank lines. `wikitext`: one document per ` = Title = ` article. `auto`: wikitext when the first non-empty line is an article title, else blank-line (decided per file).',
      },
      dedup: { type: 'boolean', default: true, description: 'Drop documents whose text equals an earlier one (validation documents equal to a train document are dropped too).' },
      validation_from_train: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0, description: 'Fraction of train documents held out as validation (seeded).' },
      wikitext_unk: { enum: ['drop', 'keep'], default: 'drop', description: 'WikiText `<unk>` placeholders: drop them or keep them as text.' },
      ...READ_LIMIT_PARAMS,
    },
    allOf: [{ if: { required: ['validation'] }, then: { properties: { validation_from_train: { const: 0 } } } }],
  },
  inputs: {},
  outputs: { corpus: { kind: 'corpus', description: 'Documents per split, one blank line between documents.' } },
  async run(ctx) {
    const { readCorpus } = await import('../corpus/read-corpus.ts');
    const { writeCorpus } = await import('../corpus/write-corpus.ts');
    const { writeAllOrNothing } = await import('../files/output-guard.ts');
    const { splits, duplicates, provenance } = await readCorpus(ctx.params, ctx.pipelineDir, ctx.seed);
    ctx.log.metric('duplicates_removed', duplicates);
    for (const [name, documents] of Object.entries(splits)) ctx.log.metric(`documents_${name}`, documents.length);
    await writeAllOrNothing(ctx.outputs.corpus!.dir, async () => {
      await writeCorpus(ctx.outputs.corpus!.dir, splits, provenance);
    });
  },
});
