import { findWorkspaceRoot } from '@tunekit/pipeline';
import { COMPARE_USAGE } from '@tunekit/tracking/usage';
import type { Command } from '../command.ts';
import { trackingCommandIO } from './tracking.ts';

/** `tunekit compare`: logic in @tunekit/tracking (loaded on use, so other commands start fast). */
export const compareCommand: Command = {
  name: 'compare',
  summary: 'Compare MLflow runs side by side: params and final metrics.',
  help: COMPARE_USAGE,
  async run(argv, io) {
    const { runCompareCommand } = await import('@tunekit/tracking');
    return runCompareCommand(argv, trackingCommandIO(io, findWorkspaceRoot(io.cwd)));
  },
};
