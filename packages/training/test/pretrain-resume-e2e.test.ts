/**
 * Through the real engine (`tunekit run` of a tiny pipeline in a temp dir): a two-worker MLM
 * pre-training stage SIGKILLed mid-run (the whole process group: CLI, stage process and its worker
 * threads, as `kill -9` of a terminal's job) resumes from its last checkpoint on the same command and
 * ends with output digests identical to an uninterrupted run (`--force` of the same stage); the
 * effective worker count (TUNEKIT_WORKERS here) is in the cache key (`tunekit status`).
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkpointStep, removeWorkspaces, runJson as json, tunekit, workspace as cliWorkspace, type RunJson } from './helpers/tunekit-cli.ts';

const TEXT = fileURLToPath(new URL('./fixtures/medical-ner-small/text.txt', import.meta.url));
const MAX_STEPS = 24;

const PIPELINE = `name: pretrain-resume
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
    with: { hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 32, head: masked-lm }
  pretrain:
    uses: training/pretrain-mlm
    inputs: { model: base.model, corpus: corpus.corpus }
    with: { block_size: 24, batch_size: 8, gradient_accumulation_steps: 2, max_steps: ${MAX_STEPS}, learning_rate: 0.005, warmup_ratio: 0.1, evaluation: steps, eval_steps: 8, checkpoint_steps: 3 }
`;

afterAll(removeWorkspaces);

const workspace = () => cliWorkspace(PIPELINE, { 'text.txt': TEXT });

const digests = (run: RunJson) => Object.fromEntries(Object.entries(run.stages.pretrain!.outputs).map(([name, o]) => [name, o.digest]));

describe('training/pretrain-mlm with 2 workers through tunekit run', () => {
  test('SIGKILLed mid-run, the same command resumes ("resuming pretrain from step N") and ends bit-identical to an uninterrupted run; the worker count is in the cache key', async () => {
    const ws = workspace();
    // Killed once a checkpoint exists (every 3 steps), then the same command again.
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
    const resumed = json(resumedRun);
    expect(resumed.stages.base!.status).toBe('cached');
    expect(resumed.stages.pretrain!.status).toBe('ran');
    const resumedLog = readFileSync(join(ws.store, 'logs', resumed.runId, 'pretrain.log'), 'utf8');
    expect(resumedLog).toContain('training on 2 data-parallel replicas (worker threads');
    const from = Number(/resuming pretrain from step (\d+)/.exec(resumedLog)?.[1]);
    if (Number.isNaN(from)) throw new Error(`no "resuming pretrain from step N" in the resumed run's log (killed at checkpoint ${killedAt}):\n${resumedLog}\nscratch: ${readdirSync(join(ws.store, 'scratch')).join(', ')}\nkilled run stdout:\n${killed.stdout}\nresumed run stdout:\n${resumedRun.stdout}`);
    expect(from).toBeGreaterThanOrEqual(killedAt);
    expect(from).toBeLessThan(MAX_STEPS);

    // The same stage again from scratch (its checkpoints were removed when the entry was stored).
    const straightRun = await tunekit(ws, ['run', 'pipeline.yaml', '--force', 'pretrain'], 2);
    expect(straightRun.code).toBe(0);
    const straight = json(straightRun);
    expect(straight.stages.pretrain!.status).toBe('ran');
    expect(straight.stages.pretrain!.key).toBe(resumed.stages.pretrain!.key);
    expect(readFileSync(join(ws.store, 'logs', straight.runId, 'pretrain.log'), 'utf8')).not.toContain('resuming');
    expect(digests(resumed)).toEqual(digests(straight));

    // The effective worker count is in the key: TUNEKIT_WORKERS=1 would rerun it, 2 finds it cached.
    const status = async (workers: number) => JSON.parse((await tunekit(ws, ['status', 'pipeline.yaml'], workers)).stdout.trim().split('\n').at(-1)!).stages.pretrain;
    const one = await status(1);
    expect(one.cached).toBe(false);
    expect(one.changes).toEqual([{ path: 'fingerprint.workers', before: 2, after: 1 }]);
    expect((await status(2)).cached).toBe(true);
  }, 900_000);
});
