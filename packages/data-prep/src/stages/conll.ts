import { defineStage } from '@tunekit/pipeline';
import { READ_LIMIT_PARAMS } from '../files/read-limits.ts';
import { fileParam } from '../files/resolve-file.ts';
import type { ConllParams } from '../conll/conll-params.ts';

const fraction = (description: string) => ({ type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0, description });

export default defineStage<ConllParams>({
  id: 'data-prep/conll',
  version: '1',
  description: 'Read token-per-line NER files (CoNLL/IOB TSV) into a word-level dataset with IOB2 tags.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['train'],
    properties: {
      train: fileParam('Training file (token per line, blank line between sentences).'),
      validation: fileParam('Validation file; omit to hold out `validation_from_train` of train instead.'),
      test: fileParam('Test file; omit to hold out `test_from_train` of train instead.'),
      validation_from_train: fraction('Fraction of train sentences held out as the validation split (seeded).'),
      test_from_train: fraction('Fraction of train sentences held out as the test split (seeded).'),
      token_column: { type: 'integer', minimum: 0, default: 0, description: '0-based column of the token.' },
      tag_column: { type: 'integer', default: -1, description: '0-based column of the tag; negative counts from the end.' },
      delimiter: { enum: ['auto', 'tab', 'whitespace'], default: 'auto', description: '`auto`: tab if the first token line has a tab, else runs of whitespace.' },
      tag_scheme: { enum: ['IOB1', 'IOB2', 'IOBES'], default: 'IOB2', description: 'Scheme of the input tags; output is always IOB2.' },
      on_invalid: { enum: ['error', 'repair'], default: 'error', description: '`error`: stop at the first bad line (file:line). `repair`: fix tags, drop bad lines, count repairs.' },
      ...READ_LIMIT_PARAMS,
    },
    allOf: [
      { if: { required: ['validation'] }, then: { properties: { validation_from_train: { const: 0 } } } },
      { if: { required: ['test'] }, then: { properties: { test_from_train: { const: 0 } } } },
    ],
  },
  inputs: {},
  outputs: { dataset: { kind: 'dataset', description: 'Word-level NER dataset (IOB2).' } },
  async run(ctx) {
    const { readConll } = await import('../conll/read-conll.ts');
    const { writeAllOrNothing } = await import('../files/output-guard.ts');
    const { writeDataset } = await import('../dataset/write-dataset.ts');
    const { dataset, repairs, provenance } = await readConll(ctx.params, ctx.pipelineDir, ctx.seed);
    if (ctx.params.on_invalid === 'repair') {
      for (const [kind, count] of Object.entries(repairs)) ctx.log.metric(`repairs_${kind}`, count);
    }
    for (const [name, examples] of Object.entries(dataset.splits)) ctx.log.metric(`sentences_${name}`, examples.length);
    await writeAllOrNothing(ctx.outputs.dataset!.dir, async () => {
      await writeDataset(ctx.outputs.dataset!.dir, dataset, provenance);
    });
  },
});
