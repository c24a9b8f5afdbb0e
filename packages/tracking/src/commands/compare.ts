/**
 * `tunekit compare <run> <run> ... [--experiment NAME] [--uri URI]`: params and final metrics
 * side by side. A <run> is an MLflow run id, a run name (a stage id such as
 * `train[strategy=lora]`: the newest run with that name), or a TuneKit run id (its parent run).
 * Rows whose values differ are marked with `*`.
 */
import { parseArgs } from 'node:util';
import { createTrackingClient } from '../client/create-client.ts';
import { RESOURCE_DOES_NOT_EXIST, TrackingError } from '../client/errors.ts';
import { quoteFilterValue } from '../client/search-filter.ts';
import { searchAllRuns, tagValue, type Run, type TrackingClient } from '../client/types.ts';
import { MLFLOW_PARENT_RUN_ID, TUNEKIT_RUN_ID } from '../observer/tag-names.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, unreachableMessage, type CommandIO } from './io.ts';
import { formatValue, renderTable } from './table.ts';
import { displayMetrics, type DisplayMetrics } from './cached-metrics.ts';
import { COMPARE_USAGE } from './usage.ts';

export async function resolveRunRef(client: TrackingClient, ref: string, experimentIds: string[]): Promise<Run> {
  if (/^[0-9a-f]{32}$/.test(ref)) {
    try {
      return await client.getRun(ref);
    } catch (error) {
      if (!(error instanceof TrackingError && error.errorCode === RESOURCE_DOES_NOT_EXIST)) throw error;
    }
  }
  const byName = await searchAllRuns(client, { experimentIds, filter: `attributes.run_name = ${quoteFilterValue(ref)}` });
  const byTunekitId = (await searchAllRuns(client, { experimentIds, filter: `tags.\`${TUNEKIT_RUN_ID}\` = ${quoteFilterValue(ref)}` })).filter(
    (run) => !tagValue(run, MLFLOW_PARENT_RUN_ID),
  );
  const newest = [...byName, ...byTunekitId].sort((a, b) => b.info.startTime - a.info.startTime)[0];
  if (!newest) throw new TrackingError(RESOURCE_DOES_NOT_EXIST, `no run matches '${ref}' (not a run id, run name or TuneKit run id)`);
  return newest;
}

interface Shown {
  run: Run;
  shown: DisplayMetrics;
}

function section(title: string, keys: string[], runs: Shown[], cell: (run: Shown, key: string) => string): string {
  const headers = [
    title,
    ...runs.map(({ run, shown }) => `${run.info.runName} (${run.info.runId.slice(0, 8)}${shown.from ? `, cached from ${shown.from.slice(0, 8)}` : ''})`),
  ];
  const rows = keys.map((key) => {
    const values = runs.map((run) => cell(run, key));
    const differs = new Set(values).size > 1;
    return [`${differs ? '* ' : '  '}${key}`, ...values];
  });
  return renderTable(headers, rows);
}

/** `shown[i]` are the metrics displayed for `runs[i]` (a cache hit's come from its producer). */
export function renderComparison(runs: Run[], shown: DisplayMetrics[] = runs.map((r) => ({ metrics: r.metrics }))): string {
  const items = runs.map((run, i) => ({ run, shown: shown[i]! }));
  const paramKeys = [...new Set(runs.flatMap((r) => r.params.map((p) => p.key)))].sort();
  const metricKeys = [...new Set(items.flatMap((r) => r.shown.metrics.map((m) => m.key)))].sort();
  const params = section('PARAM', paramKeys, items, ({ run }, key) => run.params.find((p) => p.key === key)?.value ?? '-');
  const metrics = section('FINAL METRIC', metricKeys, items, ({ shown: s }, key) => {
    const metric = s.metrics.find((m) => m.key === key);
    return metric ? formatValue(metric.value) : '-';
  });
  return `${params}\n\n${metrics}`;
}

export async function runCompareCommand(argv: string[], io: CommandIO): Promise<number> {
  let parsed: { values: { experiment?: string; uri?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { experiment: { type: 'string' }, uri: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${COMPARE_USAGE}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.stdout(COMPARE_USAGE);
    return EXIT_OK;
  }
  if (parsed.positionals.length < 2) {
    io.stderr(`tunekit compare needs at least two runs\n${COMPARE_USAGE}`);
    return EXIT_USAGE;
  }
  let client: TrackingClient;
  try {
    client = createTrackingClient({ workspaceRoot: io.workspaceRoot, uri: parsed.values.uri, env: io.env, readOnly: true });
  } catch (error) {
    io.stderr(`tunekit compare: ${(error as Error).message}`);
    return EXIT_USAGE;
  }
  try {
    let experimentIds: string[];
    if (parsed.values.experiment) {
      const experiment = await client.getExperimentByName(parsed.values.experiment);
      if (!experiment) {
        io.stderr(`no experiment named '${parsed.values.experiment}' at ${client.uri}`);
        return EXIT_USAGE;
      }
      experimentIds = [experiment.experimentId];
    } else {
      experimentIds = (await client.searchExperiments()).map((e) => e.experimentId);
    }
    const runs: Run[] = [];
    for (const ref of parsed.positionals) runs.push(await resolveRunRef(client, ref, experimentIds));
    const shown: DisplayMetrics[] = [];
    for (const run of runs) shown.push(await displayMetrics(client, run));
    io.stdout(renderComparison(runs, shown));
    return EXIT_OK;
  } catch (error) {
    const unreachable = unreachableMessage(error, client.uri);
    if (unreachable) {
      io.stderr(unreachable);
      return EXIT_USAGE;
    }
    io.stderr(`tunekit compare: ${(error as Error).message}`);
    return error instanceof TrackingError && error.errorCode === RESOURCE_DOES_NOT_EXIST ? EXIT_USAGE : EXIT_FAILURE;
  } finally {
    await client.close();
  }
}
