/**
 * `tunekit tracking runs [--experiment NAME] [--limit N] [--uri URI]`: pipeline (parent) runs,
 * newest first, each followed by its stages' nested runs, with final metrics.
 */
import { parseArgs } from 'node:util';
import { createTrackingClient } from '../client/create-client.ts';
import { searchAllRuns, tagValue, type Experiment, type Metric, type Run, type TrackingClient } from '../client/types.ts';
import { displayMetrics } from './cached-metrics.ts';
import { MLFLOW_PARENT_RUN_ID, TUNEKIT_CACHE } from '../observer/tag-names.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, unreachableMessage, type CommandIO } from './io.ts';
import { formatValue, renderTable } from './table.ts';
import { RUNS_USAGE } from './usage.ts';

function metricsCell(metrics: Metric[], from?: string): string {
  const cell = [...metrics]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((m) => `${m.key}=${formatValue(m.value, 4)}`)
    .join(' ');
  return from && cell ? `${cell} (from ${from.slice(0, 8)})` : cell;
}

function seconds(run: Run): string {
  return run.info.endTime ? `${((run.info.endTime - run.info.startTime) / 1000).toFixed(1)}s` : '';
}

/** Final metrics per run id; cache hits show their producer's, marked `(from <run id>)`. */
export async function metricsCells(client: TrackingClient, runs: Run[]): Promise<Map<string, string>> {
  const cells = new Map<string, string>();
  const cache = new Map<string, Run>(runs.map((r) => [r.info.runId, r]));
  for (const run of runs) {
    const shown = await displayMetrics(client, run, cache);
    cells.set(run.info.runId, metricsCell(shown.metrics, shown.from));
  }
  return cells;
}

export function renderRunsTable(runs: Run[], limit: number, cells: Map<string, string>): string {
  const children = new Map<string, Run[]>();
  const parents: Run[] = [];
  for (const run of runs) {
    const parent = tagValue(run, MLFLOW_PARENT_RUN_ID);
    if (parent) children.set(parent, [...(children.get(parent) ?? []), run]);
    else parents.push(run);
  }
  parents.sort((a, b) => b.info.startTime - a.info.startTime);
  const rows: string[][] = [];
  const row = (run: Run, name: string) => [name, run.info.runId, run.info.status, tagValue(run, TUNEKIT_CACHE) ?? '', seconds(run), cells.get(run.info.runId) ?? ''];
  for (const parent of parents.slice(0, limit)) {
    rows.push(row(parent, parent.info.runName));
    const kids = (children.get(parent.info.runId) ?? []).sort((a, b) => a.info.startTime - b.info.startTime || a.info.runName.localeCompare(b.info.runName));
    kids.forEach((kid, i) => rows.push(row(kid, `${i === kids.length - 1 ? '└─' : '├─'} ${kid.info.runName}`)));
  }
  return renderTable(['RUN', 'MLFLOW RUN ID', 'STATUS', 'CACHE', 'TIME', 'FINAL METRICS'], rows);
}

export async function runTrackingRunsCommand(argv: string[], io: CommandIO): Promise<number> {
  let values: { experiment?: string; limit?: string; uri?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { experiment: { type: 'string' }, limit: { type: 'string' }, uri: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${RUNS_USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(RUNS_USAGE);
    return EXIT_OK;
  }
  const limit = values.limit === undefined ? 10 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    io.stderr(`--limit expects a positive integer, got '${values.limit}'`);
    return EXIT_USAGE;
  }
  let client: TrackingClient;
  try {
    client = createTrackingClient({ workspaceRoot: io.workspaceRoot, uri: values.uri, env: io.env, readOnly: true });
  } catch (error) {
    io.stderr(`tunekit tracking runs: ${(error as Error).message}`);
    return EXIT_USAGE;
  }
  try {
    let experiments: Experiment[];
    if (values.experiment) {
      const experiment = await client.getExperimentByName(values.experiment);
      if (!experiment) {
        io.stderr(`no experiment named '${values.experiment}' at ${client.uri}`);
        return EXIT_USAGE;
      }
      experiments = [experiment];
    } else {
      experiments = await client.searchExperiments();
    }
    let printed = 0;
    for (const experiment of experiments) {
      const runs = await searchAllRuns(client, { experimentIds: [experiment.experimentId] });
      if (runs.length === 0 && !values.experiment) continue;
      const table = renderRunsTable(runs, limit, await metricsCells(client, runs));
      io.stdout(`Experiment ${experiment.name} (id ${experiment.experimentId}) at ${client.uri}\n${table}\n`);
      printed++;
    }
    if (printed === 0) io.stdout(`no runs at ${client.uri}`);
    return EXIT_OK;
  } catch (error) {
    const unreachable = unreachableMessage(error, client.uri);
    if (unreachable) {
      io.stderr(unreachable);
      return EXIT_USAGE;
    }
    io.stderr(`tunekit tracking runs: ${(error as Error).message}`);
    return EXIT_FAILURE;
  } finally {
    await client.close();
  }
}
