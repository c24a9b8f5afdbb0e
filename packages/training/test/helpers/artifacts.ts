/** Real input artifacts for stage tests: a saved tiny model (optionally with a strategy) and an encoded dataset. */
import { join } from 'node:path';
import { saveModel } from '@tunekit/model-loader';
import { writeEncodedDataset } from '@tunekit/data-prep';
import { writeManifest } from '@tunekit/pipeline';
import { applyStrategy, writeStrategyState } from '@tunekit/strategies';
import { createModel } from '@tunekit/model-loader';
import { syntheticNerDataset, tempDir, TINY_CONFIG } from './tiny.ts';

export async function modelArtifact(strategy?: { name: string; config: Record<string, unknown> }): Promise<string> {
  const dir = await tempDir('tunekit-model-');
  const model = createModel(TINY_CONFIG, 'none', 1);
  await saveModel(model, dir);
  if (strategy) {
    const { applied } = applyStrategy(model, strategy.name, strategy.config, { seed: 42 });
    await writeStrategyState(dir, model, applied, 42);
  }
  await writeManifest(dir, { kind: 'model', schemaVersion: 1, source: 'test:tiny' });
  model.dispose();
  return dir;
}

export async function encodedArtifact(trainSentences = 48, validationSentences = 16): Promise<string> {
  const dir = await tempDir('tunekit-encoded-');
  await writeEncodedDataset(
    dir,
    syntheticNerDataset(trainSentences, validationSentences),
    { maxLength: 12, tokenizer: { source: 'synthetic', vocabSize: 40, clsId: 2, sepId: 3, padId: 0, unkId: 1, lowercase: true } },
    {},
  );
  return dir;
}

export const outputsUnder = (root: string) => ({ model: join(root, 'model'), metrics: join(root, 'metrics') });
