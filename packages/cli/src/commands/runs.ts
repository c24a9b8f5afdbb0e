import { findWorkspaceRoot } from '@tunekit/pipeline';
import { listRunRecords } from '@tunekit/pipeline/engine';
import { line, parseCommandArgs, type Command } from '../command.ts';
import { recordsStore } from '../store-location.ts';
import { trackingCommandIO } from './tracking.ts';

/** `--experiment`, `--tracking` and `--uri` select the tracking view (same as `tunekit tracking runs`). */
function wantsTrackingView(argv: string[]): boolean {
  return argv.some((arg) => /^--(experiment|tracking|uri)(=|$)/.test(arg));
}

export const runsCommand: Command = {
  name: 'runs',
  summary: 'List recorded pipeline runs (newest last).',
  help: `Usage: tunekit runs [--pipeline <name>] [--limit <n>] [--json] [--store <dir>]
       tunekit runs --experiment <name> | --tracking [--limit <n>] [--uri <uri>]

Without tracking options: the engine's run records (<store>/runs/*.json): run id, pipeline,
status, stage counts.
With --experiment/--tracking: the tracking view (MLflow runs through the tracking client, file
store or REST server): each pipeline's parent run followed by one nested run per stage, with
final metrics (same as \`tunekit tracking runs\`).`,
  async run(argv, io) {
    if (wantsTrackingView(argv)) {
      const { runTrackingRunsCommand } = await import('@tunekit/tracking');
      return runTrackingRunsCommand(argv.filter((arg) => arg !== '--tracking'), trackingCommandIO(io, findWorkspaceRoot(io.cwd)));
    }
    const { values } = parseCommandArgs(argv, { pipeline: { type: 'string' }, limit: { type: 'string', default: '20' }, json: { type: 'boolean' }, store: { type: 'string' } });
    const store = recordsStore(io.cwd, values.store);
    let records = await listRunRecords(store.runsDir);
    if (values.pipeline) records = records.filter((record) => record.pipelineName === values.pipeline);
    records = records.slice(-Math.max(1, Number(values.limit) || 20));
    if (values.json) {
      line(io.stdout, JSON.stringify(records.map(({ spec: _spec, ...summary }) => summary)));
      return 0;
    }
    if (records.length === 0) {
      line(io.stdout, `no runs recorded in ${store.runsDir}`);
      return 0;
    }
    for (const record of records) {
      const counts: Record<string, number> = {};
      for (const stage of Object.values(record.stages)) counts[stage.status] = (counts[stage.status] ?? 0) + 1;
      const seconds = record.finishedAt ? ((Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000).toFixed(2) + 's' : '-';
      const summary = Object.entries(counts).map(([status, n]) => `${n} ${status}`).join(', ');
      line(io.stdout, `${record.runId}  ${record.pipelineName.padEnd(20)} ${record.status.padEnd(11)} ${seconds.padStart(8)}  ${summary}`);
    }
    return 0;
  },
};
