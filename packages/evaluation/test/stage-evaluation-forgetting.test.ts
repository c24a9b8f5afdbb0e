/**
 * evaluation/forgetting on the tiny fixture. The "base" is the fixture's encoder with a masked-LM
 * head (initialised by model-loader, seed 0) saved in HF layout; "fine-tuned" models are the
 * fixture itself (same encoder → no forgetting, exactly) and a copy with changed embeddings.
 */
import { describe, expect, test } from '@jest/globals';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManifest } from '@tunekit/pipeline';
import { maskedRows } from '../src/forgetting/masked-sequences.ts';
import stage from '../src/stages/evaluation-forgetting.ts';
import { TINY_BERT } from './helpers/artifacts.ts';
import { stageContext, tempDir } from './helpers/stage-context.ts';

process.env.TUNEKIT_BACKEND = 'cpu';

async function savedVariant(head: 'masked-lm' | undefined, change?: (params: Map<string, { assign(v: unknown): void }>, tf: typeof import('@tensorflow/tfjs-core')) => void) {
  const loader = await import('@tunekit/model-loader');
  const tf = await import('@tensorflow/tfjs-core');
  await loader.activateBackend('cpu');
  const model = await loader.loadModel(TINY_BERT, head ? { head, strict: false, seed: 0 } : {});
  change?.(model.params as never, tf);
  const dir = await tempDir('tunekit-model-');
  await loader.saveModel(model, dir);
  model.dispose();
  await copyFile(join(TINY_BERT, 'vocab.txt'), join(dir, 'vocab.txt'));
  return dir;
}

async function corpus() {
  const dir = await tempDir('tunekit-corpus-');
  const docs = ['the patient had a disease of the heart', 'cancer risk in families with the gene', 'a new drug for the treatment'];
  await writeFile(join(dir, 'validation.txt'), docs.join('\n\n') + '\n');
  await writeManifest(dir, { kind: 'corpus', schemaVersion: 1, splits: { validation: { file: 'validation.txt', documents: 3 } } });
  return dir;
}

const params = { split: 'validation', max_sequences: 8, max_length: 16, mask_probability: 0.3, batch_size: 8 };

describe('masked rows', () => {
  test('rows are [CLS] chunk [SEP], every row has a masked position, same seed → same mask', () => {
    const special = { clsId: 2, sepId: 3, padId: 0, maskId: 4 };
    const a = maskedRows([[10, 11, 12, 13, 14, 15, 16]], special, { maxLength: 6, maxRows: 4, maskProbability: 0.01, seed: 7 });
    expect(a.rows).toBe(2); // 4 + 3 tokens
    expect(Array.from(a.attentionMask.subarray(6, 12))).toEqual([1, 1, 1, 1, 1, 0]);
    expect(a.masked).toBe(2);
    expect(maskedRows([[10, 11, 12, 13, 14, 15, 16]], special, { maxLength: 6, maxRows: 4, maskProbability: 0.01, seed: 7 })).toEqual(a);
  });
});

describe('evaluation/forgetting', () => {
  test('an unchanged encoder forgets nothing: MLM loss after = before exactly; a changed one differs', async () => {
    const base = await savedVariant('masked-lm');
    const changed = await savedVariant(undefined, (p, tf) => p.get('bert.embeddings.word_embeddings.weight')!.assign(tf.mul(p.get('bert.embeddings.word_embeddings.weight') as never, 1.5)));
    const corpusDir = await corpus();
    const run = async (model: string) => {
      const ctx = await stageContext({ stageId: 'forgetting[strategy=lora]', params, inputs: { base: { dir: base, digest: 'b' }, model: { dir: model, digest: 'm' }, corpus: { dir: corpusDir, digest: 'c' } }, outputs: ['metrics'] });
      await stage.run(ctx);
      const metrics = JSON.parse(await readFile(join(ctx.outputs.metrics!.dir, 'metrics.json'), 'utf8'));
      // Progress counts both passes over the sequences: the base model's, then the fine-tuned one's.
      const rows = metrics.metrics.sequences;
      expect([ctx.logged.progress.includes(`rows ${rows}/${2 * rows}`), ctx.logged.progress.at(-1)]).toEqual([true, `rows ${2 * rows}/${2 * rows}`]);
      return metrics;
    };
    const same = await run(TINY_BERT);
    expect(same.forgetting.after).toBe(same.forgetting.before);
    expect(same.forgetting.before).toBeGreaterThan(0);
    expect([same.kind, same.name, same.strategy, same.task]).toEqual(['forgetting', 'lora', 'lora', 'masked-lm']);
    const other = await run(changed);
    expect(other.forgetting.before).toBe(same.forgetting.before);
    expect(other.forgetting.after).not.toBe(other.forgetting.before);
  });
});
