/** Command-line arguments of `npm run bench:train`. */
import { availableParallelism } from 'node:os';
export interface BenchArgs {
  preset: 'tiny' | 'mini';
  strategy: 'full' | 'lora';
  steps: number;
  warmup: number;
  batch: number;
  seq: number;
  /** > 1: data-parallel over that many worker threads (`@tunekit/compute` startDataParallel); default: one per core. */
  workers: number;
  /** Peak learning rate (linear decay to 0): 5e-5 full, 2e-4 LoRA, as the reference. */
  lr: number;
}

export const PRESETS = {
  tiny: { layers: 2, hidden: 128, heads: 2, ffn: 512 },
  mini: { layers: 4, hidden: 256, heads: 4, ffn: 1024 },
} as const;

const USAGE = 'usage: npm run bench:train -- --preset tiny|mini --strategy full|lora --steps N [--warmup 3] [--batch 16] [--seq 128] [--workers <cores>]';

export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { preset: 'tiny', strategy: 'full', steps: 20, warmup: 3, batch: 16, seq: 128, workers: availableParallelism(), lr: 5e-5 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    switch (flag) {
      case '--preset':
        if (value !== 'tiny' && value !== 'mini') throw new Error(`--preset must be tiny or mini, got "${value}"\n${USAGE}`);
        args.preset = value;
        break;
      case '--strategy':
        if (value !== 'full' && value !== 'lora') throw new Error(`--strategy must be full or lora, got "${value}"\n${USAGE}`);
        args.strategy = value;
        break;
      case '--steps':
      case '--warmup':
      case '--batch':
      case '--seq':
      case '--workers': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < (flag === '--warmup' ? 0 : 1)) throw new Error(`${flag} must be a positive integer, got "${value}"\n${USAGE}`);
        args[flag.slice(2) as 'steps' | 'warmup' | 'batch' | 'seq' | 'workers'] = n;
        break;
      }
      default:
        throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  if (args.workers > args.batch) throw new Error(`--workers (${args.workers}) must not exceed --batch (${args.batch})\n${USAGE}`);
  if (args.strategy === 'lora') args.lr = 2e-4;
  return args;
}
