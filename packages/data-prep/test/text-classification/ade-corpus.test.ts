import { describe, expect, test } from '@jest/globals';
import textClassification from '../../src/stages/text-classification.ts';
import { readDataset } from '../../src/dataset/read-dataset.ts';
import { REPO_ROOT } from '../helpers/stage-context.ts';
import { runStage } from '../helpers/run-stage.ts';

describe('data-prep/text-classification on the shipped ADE-Corpus-V2 files', () => {
  test('positives are the distinct DRUG-AE sentences, negatives the distinct ADE-NEG sentences', async () => {
    const { outputs } = await runStage(textClassification, {
      params: {
        format: 'ade-corpus',
        train: ['datasets/ade-corpus-v2/DRUG-AE.train.rel', 'datasets/ade-corpus-v2/ADE-NEG.train.txt'],
        validation: ['datasets/ade-corpus-v2/DRUG-AE.dev.rel', 'datasets/ade-corpus-v2/ADE-NEG.dev.txt'],
      },
      pipelineDir: REPO_ROOT,
    });
    const { manifest, dataset } = await readDataset(outputs.dataset!);
    expect(manifest.labels).toEqual(['NEG', 'ADE']);
    expect(manifest.splits.train).toEqual({ file: 'train.jsonl', examples: 16599, labelCounts: { NEG: 13198, ADE: 3401 } });
    expect(manifest.splits.validation).toEqual({ file: 'validation.jsonl', examples: 2184, labelCounts: { NEG: 1763, ADE: 421 } });
    expect(dataset.splits.train![0]).toEqual({ text: 'Intravenous azithromycin-induced ototoxicity.', label: 'ADE' });
  });
});
