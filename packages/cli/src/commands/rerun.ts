import { stringify } from 'yaml';
import { consoleProgress, loadPipeline, runPipeline } from '@tunekit/pipeline/engine';
import { line, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { findRun } from '../find-run.ts';
import { openCommandStore, recordsStore } from '../store-location.ts';
import { announceRuntime } from '../runtime-line.ts';
import { interruptSignal, positiveInt } from './run.ts';

export const rerunCommand: Command = {
  name: 'rerun',
  summary: 'Execute a recorded run again without the cache; report whether each output is bit-identical.',
  help: `Usage: tunekit rerun <run-id|prefix|latest> [--jobs <n>] [--json] [--store <dir|s3://bucket/prefix>]

Runs the run record's resolved spec (pipeline after its --set overrides) with every stage
forced, then compares each output digest with the recorded one.
--json prints, as the last stdout line:
  {"runId","rerunOf","status","identical","stages":{"<id>":{"identical","outputs":{"<name>":{"recorded","now","identical"}}}}}
Exit codes: 0 every output identical, 1 a stage failed or an output differs, 2 usage.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { jobs: { type: 'string' }, json: { type: 'boolean' }, store: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('expected one run id');
    const original = await findRun(recordsStore(io.cwd, values.store), positionals[0]!);
    const pipeline = await loadPipeline(original.pipelineFile, { text: stringify(original.spec) });
    const store = await openCommandStore(io.cwd, values.store, pipeline);
    const interrupt = interruptSignal();
    const out = values.json ? io.stderr : io.stdout;
    const runtime = announceRuntime(out);
    let result;
    try {
      result = await runPipeline(pipeline, {
        runtime,
        noCache: true,
        jobs: positiveInt(values.jobs, '--jobs'),
        store,
        observers: [consoleProgress({ stream: out })],
        overrides: original.overrides,
        signal: interrupt.signal,
        warn: (message) => line(io.stderr, `warning: ${message}`),
      });
    } finally {
      interrupt.dispose();
      await store.close();
    }
    const stages: Record<string, { identical: boolean; outputs: Record<string, { recorded: string; now: string | null; identical: boolean }> }> = {};
    for (const [id, recorded] of Object.entries(original.stages)) {
      if (recorded.status !== 'ran' && recorded.status !== 'cached') continue;
      const now = result.stages[id];
      const outputs: (typeof stages)[string]['outputs'] = {};
      for (const [name, out] of Object.entries(recorded.outputs)) {
        const digest = now?.outputs[name]?.digest ?? null;
        outputs[name] = { recorded: out.digest, now: digest, identical: digest === out.digest };
      }
      stages[id] = { identical: Object.values(outputs).every((o) => o.identical), outputs };
    }
    const identical = result.status === 'succeeded' && Object.values(stages).every((stage) => stage.identical);
    line(out, `\nrerun of ${original.runId} (new run ${result.runId}):`);
    for (const [id, stage] of Object.entries(stages)) {
      for (const [name, o] of Object.entries(stage.outputs)) {
        line(out, `  ${o.identical ? 'identical' : 'DIFFERENT'}  ${id}.${name}  ${o.recorded.slice(0, 16)} ${o.identical ? '=' : '!='} ${(o.now ?? 'missing').slice(0, 16)}`);
      }
    }
    line(out, identical ? 'every output is bit-identical to the recorded run' : 'some outputs differ from the recorded run (or a stage failed)');
    if (values.json) line(io.stdout, JSON.stringify({ runId: result.runId, rerunOf: original.runId, status: result.status, identical, stages }));
    return identical ? 0 : 1;
  },
};
