/**
 * training/pretrain-embeddings through the engine (the real `tunekit` CLI, a temporary store):
 * corpus → vocabulary → created BERT → embeddings (test/fixtures/pretrain-embeddings-small/). The
 * written model loads with loadModel; word-embedding rows changed exactly for the ids the corpus
 * uses at least min_count times; `tunekit rerun` reproduces every output bit for bit.
 */
import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadTokenizer, readCorpusArtifact } from '@tunekit/data-prep';
import { loadModel } from '@tunekit/model-loader';
import { loadSkipgram } from '@tunekit/native';
import { WORD_EMBEDDINGS } from '../src/embeddings/run.ts';
import { useCpu } from './helpers/backend.ts';

const suite = loadSkipgram() || process.env.TUNEKIT_NATIVE === '1' ? describe : describe.skip;
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'packages/cli/bin/tunekit.js');
const PIPELINE = fileURLToPath(new URL('./fixtures/pretrain-embeddings-small/pipeline.yaml', import.meta.url));

interface StageRecord { status: string; outputs: Record<string, { path: string; digest: string }> }

async function tunekit(args: string[], env: NodeJS.ProcessEnv) {
  const { stdout } = await run(process.execPath, [CLI, ...args, '--json'], { env, cwd: ROOT, maxBuffer: 64 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

async function wordEmbeddings(dir: string) {
  const model = await loadModel(dir);
  const values = (model.params.get(WORD_EMBEDDINGS)!.dataSync() as Float32Array).slice();
  const result = { values, dim: model.config.hidden_size, head: model.head };
  model.dispose();
  return result;
}

suite('training/pretrain-embeddings in a pipeline', () => {
  test('writes a loadable model whose rows changed for corpus tokens only; rerun is bit-identical', async () => {
    await useCpu();
    const home = await mkdtemp(join(tmpdir(), 'tunekit-embeddings-'));
    const env = { ...process.env, TUNEKIT_HOME: join(home, 'store'), MLFLOW_TRACKING_URI: `file:${join(home, 'mlruns')}`, CI: '1' };
    const first = await tunekit(['run', PIPELINE], env);
    const stages = first.stages as Record<string, StageRecord>;
    expect(Object.fromEntries(Object.entries(stages).map(([id, s]) => [id, s.status]))).toEqual({ text: 'ran', vocab: 'ran', init: 'ran', embed: 'ran' });

    const [before, after] = [await wordEmbeddings(stages.init!.outputs.model!.path), await wordEmbeddings(stages.embed!.outputs.model!.path)];
    expect(after.head).toBe('masked-lm');
    const loaded = await loadTokenizer(stages.init!.outputs.model!.path);
    const { splits } = await readCorpusArtifact(stages.text!.outputs.corpus!.path);
    const counts = new Map<number, number>();
    for (const encoding of await loaded.tokenizer.encodeBatch(splits.train!, { addSpecialTokens: false })) for (const id of encoding.getIds()) counts.set(id, (counts.get(id) ?? 0) + 1);
    const specials = new Set([loaded.padId, loaded.unkId, loaded.clsId, loaded.sepId, loaded.tokenizer.tokenToId('[MASK]')]);
    const dim = after.dim;
    const changed = (id: number) => before.values.subarray(id * dim, (id + 1) * dim).some((v, c) => v !== after.values[id * dim + c]);
    const ids = [...Array(loaded.vocabSize).keys()];
    const expected = ids.filter((id) => (counts.get(id) ?? 0) >= 3 && !specials.has(id));
    expect(expected.length).toBeGreaterThan(100);
    expect(ids.filter(changed)).toEqual(expected);
    const metrics = JSON.parse(await readFile(join(stages.embed!.outputs.metrics!.path, 'metrics.json'), 'utf8'));
    expect(metrics.trained_ids).toBe(expected.length);
    const probes = ['the', 'patients', 'disease'];
    const single = probes.filter((word) => expected.includes(loaded.tokenizer.tokenToId(word) ?? -1));
    expect(single).toContain('the');
    expect([Object.keys(metrics.quality.neighbours), metrics.quality.missing]).toEqual([single, probes.filter((w) => !single.includes(w))]);

    const again = await tunekit(['rerun', first.runId], env);
    expect(Object.entries(again.stages as Record<string, { identical: boolean }>).filter(([, s]) => !s.identical).map(([id]) => id)).toEqual([]);
    expect(again.identical).toBe(true);
  }, 600_000);
});
