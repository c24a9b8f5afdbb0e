import { defineStage } from '@tunekit/pipeline';
import { READ_LIMIT_PARAMS } from '../files/read-limits.ts';
import { filesParam } from '../files/resolve-file.ts';
import type { TextClassificationParams } from '../text-classification/text-classification-params.ts';

const files = filesParam;
const fraction = (description: string) => ({ type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0, description });

export default defineStage<TextClassificationParams>({
  id: 'data-prep/text-classification',
  version: '1',
  description: 'Read JSONL, CSV/TSV or ADE-Corpus-V2 files into a word-level sequence-classification dataset.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['train'],
    properties: {
      train: files('Training file(s); several files are concatenated in order.'),
      validation: files('Validation file(s); omit to hold out `validation_from_train` of train (stratified) instead.'),
      test: files('Test file(s); omit to hold out `test_from_train` of train (stratified) instead.'),
      format: {
        enum: ['auto', 'jsonl', 'csv', 'tsv', 'ade-corpus'],
        default: 'auto',
        description: '`auto` picks by extension (.jsonl/.json, .csv, .tsv). `ade-corpus`: DRUG-AE*.rel rows → ADE, ADE-NEG*.txt → NEG, one example per distinct sentence.',
      },
      text_field: { type: 'string', minLength: 1, default: 'text', description: 'JSON key / CSV column of the text.' },
      label_field: { type: 'string', minLength: 1, default: 'label', description: 'JSON key / CSV column of the label.' },
      labels: { type: 'array', items: { type: 'string' }, minItems: 2, uniqueItems: true, description: 'Label order (id = index); default: sorted labels seen (ade-corpus: [NEG, ADE]).' },
      validation_from_train: fraction('Fraction of train held out as validation, per label (seeded).'),
      test_from_train: fraction('Fraction of train held out as test, per label (seeded).'),
      on_invalid: { enum: ['error', 'skip'], default: 'error', description: '`error`: a row without text/label stops with file:line. `skip`: such rows are dropped and counted.' },
      ...READ_LIMIT_PARAMS,
    },
    allOf: [
      { if: { required: ['validation'] }, then: { properties: { validation_from_train: { const: 0 } } } },
      { if: { required: ['test'] }, then: { properties: { test_from_train: { const: 0 } } } },
    ],
  },
  inputs: {},
  outputs: { dataset: { kind: 'dataset', description: 'Word-level sequence-classification dataset.' } },
  async run(ctx) {
    const { readTextClassification } = await import('../text-classification/read-text-classification.ts');
    const { writeAllOrNothing } = await import('../files/output-guard.ts');
    const { writeDataset } = await import('../dataset/write-dataset.ts');
    const { dataset, skipped, provenance } = await readTextClassification(ctx.params, ctx.pipelineDir, ctx.seed);
    if (ctx.params.on_invalid === 'skip') ctx.log.metric('skipped_rows', skipped);
    for (const [name, examples] of Object.entries(dataset.splits)) ctx.log.metric(`examples_${name}`, examples.length);
    await writeAllOrNothing(ctx.outputs.dataset!.dir, async () => {
      await writeDataset(ctx.outputs.dataset!.dir, dataset, provenance);
    });
  },
});
