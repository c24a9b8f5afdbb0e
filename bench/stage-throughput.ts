/**
 * Tokens/s of the training stages' code path with 1 and 2 workers, measured in the same minutes:
 * `training/pretrain-mlm` (the builtin biomed-bert-mini, masked-LM head, GENIA abstracts cut into
 * 128-token blocks, 15% masking) and `training/fine-tune` (the same model with a 3-label token
 * classifier, full fine-tuning, 128-token rows of GENIA token ids with synthetic labels). Each run
 * is the stages' own loop (`trainLoop`, their tasks, the same model builders; `workers: 1` = the
 * single-process loop, `2` = data-parallel replicas in worker threads), in its own process; runs
 * are interleaved (round r: mlm×1, mlm×2, fine-tune×1, fine-tune×2) so that both counts see the
 * same machine load.
 *
 *   npm run bench:stages -- [--rounds 3] [--steps 8] [--warmup 2] [--batch 16]
 *
 * Per run: median tokens/s over its steps after warm-up (non-pad tokens ÷ step wall time, as the
 * stages log `tokens_per_s`); printed per run on stderr, then one JSON line: medians over rounds
 * and the 2 ÷ 1 ratio per stage, with the load average before and after.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '@tunekit/compute';
import { loadTokenizer } from '@tunekit/data-prep';
import type { TrainTask } from '../packages/training/src/index.ts';
import type { LoopOptions } from '../packages/training/src/loop/options.ts';
import { loadFineTuneModel } from '../packages/training/src/fine-tune/model.ts';
import { classificationTask } from '../packages/training/src/fine-tune/task.ts';
import { corpusBlocks } from '../packages/training/src/mlm/blocks.ts';
import { loadMlmModel } from '../packages/training/src/mlm/model.ts';
import { mlmTask } from '../packages/training/src/mlm/task.ts';
import type { Rows } from '../packages/training/src/data/rows.ts';
import { medianTokensPerSecond, timedLoopOptions } from './loop-timing.ts';

const MODEL_DIR = fileURLToPath(new URL('../models/biomed-bert-mini', import.meta.url));
const CORPUS = fileURLToPath(new URL('../datasets/genia-pubmed-abstracts/train.txt', import.meta.url));
const SEQ = 128;
const LABELS = ['O', 'B-Disease', 'I-Disease'];
type Stage = 'pretrain-mlm' | 'fine-tune';

interface Args {
  rounds: number;
  steps: number;
  warmup: number;
  batch: number;
}

function parseArgs(argv: string[]): Args & { one?: { stage: Stage; workers: number } } {
  const args: Args & { one?: { stage: Stage; workers: number } } = { rounds: 3, steps: 8, warmup: 2, batch: 16 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i]!, argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--one') {
      const [stage, workers] = value.split(':');
      args.one = { stage: stage as Stage, workers: Number(workers) };
      continue;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
    if (flag === '--rounds' || flag === '--steps' || flag === '--warmup' || flag === '--batch') args[flag.slice(2) as keyof Args] = n;
    else throw new Error(`unknown flag ${flag} (--rounds, --steps, --warmup, --batch)`);
  }
  return args;
}

const loopOptions = (args: Args, learningRate: number): LoopOptions => timedLoopOptions(args.batch, args.warmup + args.steps, learningRate);

/** GENIA abstracts as 128-token blocks of the builtin model's tokenizer (what pretrain-mlm trains on). */
async function geniaBlocks(rowsNeeded: number): Promise<Rows> {
  const documents = (await readFile(CORPUS, 'utf8')).split(/\n\s*\n/).filter((d) => d.trim());
  return corpusBlocks(documents, await loadTokenizer(MODEL_DIR), SEQ, rowsNeeded);
}

/** One measurement in this process: median tokens/s after warm-up. */
async function measure(stage: Stage, workers: number, args: Args): Promise<number> {
  await selectBackend(); // before any tensor is made (medianTokensPerSecond reads the same selection)
  const rowsNeeded = args.batch * (args.warmup + args.steps);
  const blocks = await geniaBlocks(rowsNeeded);
  let task: TrainTask;
  let model;
  let options: LoopOptions;
  if (stage === 'pretrain-mlm') {
    model = await loadMlmModel(MODEL_DIR, 1);
    const tokenizer = await loadTokenizer(MODEL_DIR);
    const masking = { probability: 0.15, maskId: tokenizer.tokenizer.tokenToId('[MASK]')!, vocabSize: tokenizer.vocabSize, specialIds: [tokenizer.clsId, tokenizer.sepId, tokenizer.padId] };
    task = mlmTask(model, blocks, undefined, masking, 1, 64);
    options = loopOptions(args, 5e-4);
  } else {
    // Token classification rows: GENIA token ids, labels from a fixed rule (only the speed matters).
    const labels = Int32Array.from(blocks.inputIds, (id, i) => (blocks.attentionMask[i] ? id % 3 : -100));
    const split = { name: 'train', numRows: blocks.numRows, seqLen: SEQ, inputIds: blocks.inputIds, attentionMask: blocks.attentionMask, tokenTypeIds: blocks.tokenTypeIds, labels, wordIds: new Int32Array(0), primary: new Uint8Array(0), rowSentence: new Int32Array(0), examples: [] };
    ({ model } = await loadFineTuneModel(MODEL_DIR, 'token-classification', LABELS, 1));
    task = classificationTask({ task: 'token-classification', labels: LABELS, splits: { train: split } }, split, undefined, 64);
    options = loopOptions(args, 5e-5);
  }
  const parallel = workers > 1 ? { workers, model: stage === 'pretrain-mlm' ? ({ kind: 'masked-lm', dir: MODEL_DIR, seed: 1 } as const) : ({ kind: 'classification', dir: MODEL_DIR, task: 'token-classification', labels: LABELS, seed: 1 } as const) } : undefined;
  return medianTokensPerSecond(`${stage} workers ${workers}`, model, task, options, args.warmup, parallel);
}

function child(stage: Stage, workers: number, args: Args): Promise<number> {
  return new Promise((resolve, reject) => {
    const flags = ['--one', `${stage}:${workers}`, '--steps', String(args.steps), '--warmup', String(args.warmup), '--batch', String(args.batch)];
    const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(Number(JSON.parse(out.trim().split('\n').at(-1)!).tokens_per_s)) : reject(new Error(`${stage} with ${workers} workers exited ${code}`))));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.one) {
    console.log(JSON.stringify({ tokens_per_s: await measure(args.one.stage, args.one.workers, args) }));
    return;
  }
  const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
  const started = { at: new Date().toISOString(), load: load() };
  const results: Record<string, number[]> = {};
  for (let round = 0; round < args.rounds; round++) {
    for (const stage of ['pretrain-mlm', 'fine-tune'] as const) {
      for (const workers of [1, 2]) {
        const value = await child(stage, workers, args);
        (results[`${stage} ${workers}`] ??= []).push(Math.round(value));
        process.stderr.write(`round ${round + 1}: ${stage} ×${workers} ${Math.round(value)} tok/s (load ${load()})\n`);
      }
    }
  }
  const summary = Object.fromEntries(
    (['pretrain-mlm', 'fine-tune'] as const).map((stage) => {
      const one = median(results[`${stage} 1`]!);
      const two = median(results[`${stage} 2`]!);
      return [stage, { workers_1: one, workers_2: two, ratio: Number((two / one).toFixed(2)), runs_1: results[`${stage} 1`], runs_2: results[`${stage} 2`] }];
    }),
  );
  console.log(JSON.stringify({ started, finished: { at: new Date().toISOString(), load: load() }, batch: args.batch, seq: SEQ, steps: args.steps, warmup: args.warmup, ...summary }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error((error as Error).stack ?? error);
    process.exit(1);
  },
);
