/**
 * Through the real engine (`tunekit run` of a tiny corpus → tokenizer → model → two-worker
 * `training/pretrain-electra` pipeline in a temp dir): SIGKILLed mid-run (the whole process group),
 * the same command resumes from the last checkpoint ("resuming electra from step N") and ends with
 * output digests — discriminator, generator, metrics — identical to an uninterrupted run.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkpointStep, removeWorkspaces, runJson, tunekit, workspace, type RunJson } from './helpers/tunekit-cli.ts';

const TEXT = fileURLToPath(new URL('./fixtures/medical-ner-small/text.txt', import.meta.url));
const MAX_STEPS = 18;

const PIPELINE = `name: electra-resume
seed: 7
stages:
  corpus:
    uses: data-prep/corpus
    with: { train: text.txt, validation_from_train: 0.25 }
  vocab:
    uses: data-prep/train-tokenizer
    inputs: { corpus: corpus.corpus }
    with: { vocab_size: 300, min_frequency: 2 }
  base:
    uses: model-loader/create
    inputs: { tokenizer: vocab.tokenizer }
    with: { hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 32, max_position_embeddings: 32, head: masked-lm }
  electra:
    uses: training/pretrain-electra
    inputs: { model: base.model, corpus: corpus.corpus }
    with: { block_size: 24, batch_size: 8, gradient_accumulation_steps: 2, max_steps: ${MAX_STEPS}, learning_rate: 0.005, warmup_ratio: 0.1, evaluation: steps, eval_steps: 6, checkpoint_steps: 3 }
`;

afterAll(() => removeWorkspaces());

const digests = (run: RunJson) => Object.fromEntries(Object.entries(run.stages.electra!.outputs).map(([name, o]) => [name, o.digest]));

describe('training/pretrain-electra with 2 workers through tunekit run', () => {
  test('SIGKILLed mid-run, the same command resumes ("resuming electra from step N") and ends bit-identical to an uninterrupted run', async () => {
    const ws = workspace(PIPELINE, { 'text.txt': TEXT });
    let killedAt = 0;
    const killed = await tunekit(ws, ['run', 'pipeline.yaml'], 2, (killAll) => {
      const timer = setInterval(() => {
        const step = checkpointStep(ws.store);
        if (step >= 6) {
          killedAt = step;
          clearInterval(timer);
          killAll();
        }
      }, 10);
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThanOrEqual(6);
    expect(killedAt).toBeLessThan(MAX_STEPS);

    const resumedRun = await tunekit(ws, ['run', 'pipeline.yaml'], 2);
    expect(resumedRun.code).toBe(0);
    const resumed = runJson(resumedRun);
    expect(resumed.stages.base!.status).toBe('cached');
    expect(resumed.stages.electra!.status).toBe('ran');
    const resumedLog = readFileSync(join(ws.store, 'logs', resumed.runId, 'electra.log'), 'utf8');
    expect(resumedLog).toContain('training on 2 data-parallel replicas (worker threads');
    const from = Number(/resuming electra from step (\d+)/.exec(resumedLog)?.[1]);
    if (Number.isNaN(from)) throw new Error(`no "resuming electra from step N" in the resumed run's log (killed at checkpoint ${killedAt}):\n${resumedLog}\nscratch: ${readdirSync(join(ws.store, 'scratch')).join(', ')}`);
    expect(from).toBeGreaterThanOrEqual(killedAt);
    expect(from).toBeLessThan(MAX_STEPS);

    const straightRun = await tunekit(ws, ['run', 'pipeline.yaml', '--force', 'electra'], 2);
    expect(straightRun.code).toBe(0);
    const straight = runJson(straightRun);
    expect(straight.stages.electra!.status).toBe('ran');
    expect(straight.stages.electra!.key).toBe(resumed.stages.electra!.key);
    expect(readFileSync(join(ws.store, 'logs', straight.runId, 'electra.log'), 'utf8')).not.toContain('resuming');
    expect(Object.keys(digests(straight)).sort()).toEqual(['generator', 'metrics', 'model']);
    expect(digests(resumed)).toEqual(digests(straight));
  }, 900_000);
});
