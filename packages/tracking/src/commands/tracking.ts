/**
 * `tunekit tracking <subcommand>`:
 *   runs   list MLflow runs (see runs.ts)
 *   sync   deliver operations journaled while the MLflow server was unreachable
 */
import { parseArgs } from 'node:util';
import { createRestClient, defaultBufferDir } from '../client/create-client.ts';
import { syncAll } from '../offline/sync.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CommandIO } from './io.ts';
import { runTrackingRunsCommand } from './runs.ts';
import { SYNC_USAGE, TRACKING_USAGE } from './usage.ts';

export async function runTrackingSyncCommand(argv: string[], io: CommandIO): Promise<number> {
  let values: { 'buffer-dir'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { 'buffer-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${SYNC_USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(SYNC_USAGE);
    return EXIT_OK;
  }
  const bufferDir = values['buffer-dir'] ?? defaultBufferDir(io.workspaceRoot, io.env);
  const results = await syncAll(bufferDir, (uri) => createRestClient(uri, io.env));
  if (results.length === 0) io.stdout(`nothing to sync in ${bufferDir}`);
  for (const r of results) {
    const counts = `${r.delivered} delivered, ${r.alreadyDelivered} already delivered, ${r.duplicatesSkipped} duplicate metrics skipped`;
    if (r.status === 'done') io.stdout(`synced ${r.journal} → ${r.uri}: ${counts}`);
    else if (r.status === 'in-use') io.stdout(`skipped ${r.journal}: its run is still writing to it`);
    else io.stderr(`failed ${r.journal} → ${r.uri} (${counts}): ${r.error}`);
  }
  return results.some((r) => r.status === 'failed') ? EXIT_FAILURE : EXIT_OK;
}

export async function runTrackingCommand(argv: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'runs') return runTrackingRunsCommand(rest, io);
  if (sub === 'sync') return runTrackingSyncCommand(rest, io);
  if (sub === '--help' || sub === '-h') {
    io.stdout(TRACKING_USAGE);
    return EXIT_OK;
  }
  io.stderr(`${sub ? `unknown subcommand '${sub}'` : 'missing subcommand'}\n${TRACKING_USAGE}`);
  return EXIT_USAGE;
}
