import { defineStage } from '@tunekit/pipeline';

export interface FewShotParams {
  k: number;
  split: string;
}

export default defineStage<FewShotParams>({
  id: 'data-prep/few-shot',
  version: '1',
  description: 'Seeded k-shot subset of one split of a dataset (k sentences per entity type, or k examples per class); other splits unchanged.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['k'],
    properties: {
      k: { type: 'integer', minimum: 1, description: 'Sentences containing each entity type (NER) or examples per class (classification).' },
      split: { type: 'string', default: 'train', description: 'Split to sample from; the other splits are copied unchanged (same label set, so ids match).' },
    },
  },
  inputs: { dataset: { kind: 'dataset', description: 'Word-level dataset.' } },
  outputs: { dataset: { kind: 'dataset', description: 'The same dataset with the sampled split replaced by its k-shot subset.' } },
  async run(ctx) {
    const { readDataset } = await import('../dataset/read-dataset.ts');
    const { writeDataset } = await import('../dataset/write-dataset.ts');
    const { writeAllOrNothing } = await import('../files/output-guard.ts');
    const { sampleClassFewShot, sampleNerFewShot } = await import('../few-shot/sample-few-shot.ts');
    const { k, split } = ctx.params;
    const { manifest, dataset } = await readDataset(ctx.inputs.dataset!.dir);
    const source = dataset.splits[split];
    if (!source) throw new Error(`data-prep/few-shot: the dataset has no split "${split}" (has ${Object.keys(dataset.splits).join(', ')})`);
    const sample =
      dataset.task === 'token-classification'
        ? sampleNerFewShot(source as Parameters<typeof sampleNerFewShot>[0], k, ctx.seed)
        : sampleClassFewShot(source as Parameters<typeof sampleClassFewShot>[0], dataset.labels, k, ctx.seed);
    const short = Object.entries(sample.coverage).filter(([, count]) => count < k);
    if (short.length) ctx.log.warn(`fewer than k=${k} examples for ${short.map(([name, count]) => `${name} (${count})`).join(', ')}`);
    ctx.log.metric('examples', sample.indices.length);
    const sampled = { ...dataset, splits: { ...dataset.splits, [split]: sample.indices.map((i) => source[i]!) } } as typeof dataset;
    await writeAllOrNothing(ctx.outputs.dataset!.dir, async () => {
      await writeDataset(ctx.outputs.dataset!.dir, sampled, {
        reader: 'data-prep/few-shot',
        k,
        split,
        seed: ctx.seed,
        sourceExamples: source.length,
        coverage: sample.coverage,
        source: manifest.provenance,
      });
    });
  },
});
