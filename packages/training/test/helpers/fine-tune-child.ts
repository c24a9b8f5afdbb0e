/**
 * Runs `training/fine-tune` in its own process (for the kill-and-resume test):
 *   node --import tsx fine-tune-child.ts '<json {model, dataset, out, scratch, params}>'
 */
import fineTune from '../../src/stages/fine-tune.ts';
import type { FineTuneParams } from '../../src/fine-tune/params.ts';
import { stageContext, withDefaults } from './stage-context.ts';
import { outputsUnder } from './artifacts.ts';

process.env.TUNEKIT_BACKEND = 'cpu';
const args = JSON.parse(process.argv[2]!) as { model: string; dataset: string; out: string; scratch: string; params: Record<string, unknown> };
const { ctx, log } = await stageContext(withDefaults<FineTuneParams>(fineTune.params, args.params), { model: args.model, dataset: args.dataset }, outputsUnder(args.out), args.scratch);
await fineTune.run(ctx);
process.stdout.write(JSON.stringify({ info: log.info }) + '\n');
