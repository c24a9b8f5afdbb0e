/**
 * Cost of a `training/pretrain-electra` step relative to a `training/pretrain-mlm` step on the same
 * discriminator-sized BERT, blocks and batch, measured in the same minutes: each run is the stage's
 * own loop (`trainLoop`, its task and model builder) in its own process, interleaved (round r: mlm,
 * electra) so that both see the same machine load.
 *
 *   node --import tsx bench/electra-throughput.ts --model <BERT folder with tokenizer> [--rounds 2] [--steps 3] [--warmup 1] [--batch 32] [--workers 1]
 *
 * Per run: median tokens/s after warm-up (non-pad tokens ÷ step wall time, as the stages log
 * `tokens_per_s`); printed per run on stderr, then one JSON line with the medians over rounds and
 * the ELECTRA ÷ MLM step-time ratio.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '@tunekit/compute';
import { loadTokenizer } from '@tunekit/data-prep';
import type { BertModel } from '@tunekit/model-loader';
import type { TrainTask } from '../packages/training/src/index.ts';
import type { LoopOptions } from '../packages/training/src/loop/options.ts';
import { corpusBlocks } from '../packages/training/src/mlm/blocks.ts';
import { loadMlmModel } from '../packages/training/src/mlm/model.ts';
import { mlmTask } from '../packages/training/src/mlm/task.ts';
import { loadElectraModel } from '../packages/training/src/electra/model.ts';
import { electraTask } from '../packages/training/src/electra/task.ts';
import { medianTokensPerSecond, timedLoopOptions } from './loop-timing.ts';

const CORPUS = fileURLToPath(new URL('../datasets/genia-pubmed-abstracts/train.txt', import.meta.url));
const SEQ = 128;
const GENERATOR = { size: 0.25, layers: 0 };
type Objective = 'mlm' | 'electra';

interface Args {
  model: string;
  rounds: number;
  steps: number;
  warmup: number;
  batch: number;
  workers: number;
  one?: Objective;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { model: '', rounds: 2, steps: 3, warmup: 1, batch: 32, workers: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i]!, argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--model') args.model = value;
    else if (flag === '--one') args.one = value as Objective;
    else if (['--rounds', '--steps', '--warmup', '--batch', '--workers'].includes(flag)) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
      args[flag.slice(2) as 'rounds' | 'steps' | 'warmup' | 'batch' | 'workers'] = n;
    } else throw new Error(`unknown flag ${flag} (--model, --rounds, --steps, --warmup, --batch, --workers)`);
  }
  if (!args.model) throw new Error('--model <dir> is required (a BERT folder with its tokenizer, e.g. the pilots\' init output)');
  return args;
}

const loopOptions = (args: Args): LoopOptions => timedLoopOptions(args.batch, args.warmup + args.steps, 1e-3);

async function measure(objective: Objective, args: Args): Promise<number> {
  await selectBackend(); // before any tensor is made (medianTokensPerSecond reads the same selection)
  const tokenizer = await loadTokenizer(args.model);
  const documents = (await readFile(CORPUS, 'utf8')).split(/\n\s*\n/).filter((d) => d.trim());
  const blocks = await corpusBlocks(documents, tokenizer, SEQ, args.batch * (args.warmup + args.steps));
  const masking = { probability: 0.15, maskId: tokenizer.tokenizer.tokenToId('[MASK]')!, vocabSize: tokenizer.vocabSize, specialIds: [tokenizer.clsId, tokenizer.sepId, tokenizer.padId] };
  const options = loopOptions(args);
  let model: BertModel;
  let task: TrainTask;
  if (objective === 'mlm') {
    model = await loadMlmModel(args.model, 1);
    task = mlmTask(model, blocks, undefined, masking, 1, 64);
  } else {
    const electra = await loadElectraModel(args.model, 1, GENERATOR);
    model = electra;
    task = electraTask(electra, blocks, undefined, masking, 1, 64, 50);
  }
  const spec = objective === 'mlm' ? { kind: 'masked-lm' as const, dir: args.model, seed: 1 } : { kind: 'electra' as const, dir: args.model, seed: 1, generator: GENERATOR, discriminatorWeight: 50 };
  return medianTokensPerSecond(`${objective} workers ${args.workers}`, model, task, options, args.warmup, args.workers > 1 ? { workers: args.workers, model: spec } : undefined);
}

function child(objective: Objective, args: Args): Promise<number> {
  return new Promise((resolve, reject) => {
    const flags = ['--one', objective, '--model', args.model, '--steps', String(args.steps), '--warmup', String(args.warmup), '--batch', String(args.batch), '--workers', String(args.workers)];
    const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(Number(JSON.parse(out.trim().split('\n').at(-1)!).tokens_per_s)) : reject(new Error(`${objective} exited ${code}`))));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.one) {
    console.log(JSON.stringify({ tokens_per_s: await measure(args.one, args) }));
    return;
  }
  const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
  const started = { at: new Date().toISOString(), load: load() };
  const results: Record<Objective, number[]> = { mlm: [], electra: [] };
  for (let round = 0; round < args.rounds; round++) {
    for (const objective of ['mlm', 'electra'] as const) {
      const value = await child(objective, args);
      results[objective].push(Math.round(value));
      process.stderr.write(`round ${round + 1}: ${objective} ${Math.round(value)} tok/s (load ${load()})\n`);
    }
  }
  const mlm = median(results.mlm);
  const electra = median(results.electra);
  console.log(JSON.stringify({ started, finished: { at: new Date().toISOString(), load: load() }, batch: args.batch, seq: SEQ, steps: args.steps, warmup: args.warmup, workers: args.workers, mlm, electra, electra_step_cost_vs_mlm: Number((mlm / electra).toFixed(2)), runs: results }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error((error as Error).stack ?? error);
    process.exit(1);
  },
);
