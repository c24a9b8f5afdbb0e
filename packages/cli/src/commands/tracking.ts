import { findWorkspaceRoot } from '@tunekit/pipeline';
import { TRACKING_USAGE } from '@tunekit/tracking/usage';
import type { Command, CommandIO } from '../command.ts';

/** Adapts the CLI's streams to @tunekit/tracking's command IO. */
export function trackingCommandIO(io: CommandIO, workspaceRoot: string) {
  const write = (stream: NodeJS.WritableStream) => (text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  return { workspaceRoot, env: process.env, stdout: write(io.stdout), stderr: write(io.stderr) };
}

/** `tunekit tracking runs|sync`: MLflow-side views and offline sync (logic in @tunekit/tracking). */
export const trackingCommand: Command = {
  name: 'tracking',
  summary: 'MLflow tracking: list runs with final metrics (runs), deliver buffered logs (sync).',
  help: TRACKING_USAGE,
  async run(argv, io) {
    const { runTrackingCommand } = await import('@tunekit/tracking');
    return runTrackingCommand(argv, trackingCommandIO(io, findWorkspaceRoot(io.cwd)));
  },
};
