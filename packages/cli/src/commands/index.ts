import type { Command } from '../command.ts';
import { cacheCommand } from './cache.ts';
import { compareCommand } from './compare.ts';
import { dagCommand } from './dag.ts';
import { doctorCommand } from './doctor.ts';
import { modelCommand } from './model.ts';
import { predictCommand } from './predict.ts';
import { rerunCommand } from './rerun.ts';
import { runCommand } from './run.ts';
import { runsCommand } from './runs.ts';
import { scoreCommand } from './score.ts';
import { showCommand } from './show.ts';
import { statusCommand } from './status.ts';
import { trackingCommand } from './tracking.ts';
import { workerCommand } from './worker.ts';
import { workersCommand } from './workers.ts';

/** Every `tunekit` command. Adding one: a file in this folder and one line here. */
export const commands: Command[] = [
  runCommand,
  statusCommand,
  dagCommand,
  runsCommand,
  showCommand,
  rerunCommand,
  cacheCommand,
  modelCommand,
  scoreCommand,
  predictCommand,
  compareCommand,
  trackingCommand,
  doctorCommand,
  workerCommand,
  workersCommand,
];
