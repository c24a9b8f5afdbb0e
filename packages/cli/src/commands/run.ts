import { consoleProgress, executorChoice, loadPipeline, openExecutor, resolvePipelineFile, runPipeline, type RunResult } from '@tunekit/pipeline/engine';
import { line, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { trackingObservers } from '../tracking-observer.ts';
import { announceRuntime } from '../runtime-line.ts';
import { openCommandStore } from '../store-location.ts';

const help = `Usage: tunekit run <pipeline-file-or-name> [options]

Run a pipeline. A name resolves to pipelines/<name>.yaml at the workspace root.
The first line names the compute path (backend, gemm, native kernels, workers) and how to get a
missing faster one; each stage that reruns says why (which part of its cache key changed).

Options:
  --set <stage.with.key=value>  Override a value (repeatable; value parsed as YAML).
                                Also params.<name>=value for pipeline params.
  --jobs <n>                    Stages running at once (default: CPU count).
  --only <stage>                Run only this stage and what it needs (repeatable).
  --from <stage>                Rerun this stage and everything downstream (repeatable).
  --force <stage>               Rerun this stage, ignoring its cache entry (repeatable).
  --no-cache                    Rerun every stage.
  --verify-outputs              Re-hash every cached output before restoring it (default: an
                                output whose files keep the size/mtime/ctime/inode recorded when
                                it was stored is trusted; any change is re-hashed).
  --store <dir|s3://bucket/prefix>
                                Where cache entries live (default: TUNEKIT_STORE, else the
                                pipeline's store:, else TUNEKIT_HOME, else .tunekit/). An S3
                                store keeps local copies and run records in the local one.
  --executor <local|redis://host:6379[/db]>
                                Who runs uncached stages (default: TUNEKIT_EXECUTOR, else the
                                pipeline's executor:, else local). redis://: BullMQ jobs taken by
                                \`tunekit worker\` processes sharing this run's store; --jobs bounds
                                the jobs in flight (docs/distributed.md). An unreachable Redis is
                                exit 2 within 10 s.
  --no-tracking                 Do not record the run in experiment tracking.
  --no-warm-workers             Start a new process for every stage instead of reusing warm
                                worker processes (for debugging; also TUNEKIT_WARM_WORKERS=0).
  --json                        Print the result as one JSON object on the last stdout line:
                                {"runId","status","stages":{"<id>":{"status","key","seconds",
                                "outputs":{"<name>":{"digest","path"}}}}}

Exit codes: 0 every stage ran or was cached, 1 a stage failed (or was interrupted: 130),
2 invalid pipeline or usage.`;

export function resultJson(result: RunResult): string {
  const stages = Object.fromEntries(
    Object.entries(result.stages).map(([id, stage]) => [id, { status: stage.status, key: stage.key, seconds: stage.seconds, outputs: stage.outputs, ...(stage.error ? { error: stage.error } : {}) }]),
  );
  return JSON.stringify({ runId: result.runId, status: result.status, stages });
}

export function exitCodeOf(result: RunResult): number {
  if (result.status === 'succeeded') return 0;
  if (result.status === 'interrupted') return 130;
  const invalidInput = Object.values(result.stages).some((stage) => stage.status === 'failed' && stage.invalidInput);
  return invalidInput ? 2 : 1;
}

/** Ctrl-C / SIGTERM abort the run (children stopped, no partial entries); a second Ctrl-C is not needed. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} expects a positive integer, found "${value}"`);
  return n;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a pipeline (cached stages are restored, not rerun).',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      set: { type: 'string', multiple: true },
      jobs: { type: 'string' },
      only: { type: 'string', multiple: true },
      from: { type: 'string', multiple: true },
      force: { type: 'string', multiple: true },
      'no-cache': { type: 'boolean' },
      'verify-outputs': { type: 'boolean' },
      'no-tracking': { type: 'boolean' },
      'no-warm-workers': { type: 'boolean' },
      json: { type: 'boolean' },
      store: { type: 'string' },
      executor: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one pipeline file or name');
    const jobs = positiveInt(values.jobs, '--jobs');
    const file = resolvePipelineFile(positionals[0]!, io.cwd);
    const overrides = values.set ?? [];
    // --executor / TUNEKIT_EXECUTOR are checked before the pipeline loads (an unreachable Redis is reported at once).
    const early = values.executor || process.env.TUNEKIT_EXECUTOR ? await openExecutor(executorChoice(values.executor)) : undefined;
    const pipeline = await loadPipeline(file, { overrides }).catch(async (error: unknown) => {
      await early?.close();
      throw error;
    });
    const executor = early ?? (await openExecutor(executorChoice(undefined, pipeline)));
    const store = await openCommandStore(io.cwd, values.store, pipeline).catch(async (error: unknown) => {
      await executor?.close();
      throw error;
    });
    const progressStream = values.json ? io.stderr : io.stdout;
    const warn = (message: string) => line(io.stderr, `warning: ${message}`);
    const observers = [consoleProgress({ stream: progressStream }), ...(values['no-tracking'] ? [] : await trackingObservers(pipeline, warn))];
    const runtime = announceRuntime(progressStream);
    if (executor) line(progressStream, `executor: ${executor.name} (stages run on \`tunekit worker\` processes; \`tunekit workers --redis ${executor.name}\` lists them)`);
    const interrupt = interruptSignal();
    try {
      const result = await runPipeline(pipeline, {
        runtime,
        jobs,
        only: values.only,
        from: values.from,
        force: values.force,
        noCache: values['no-cache'],
        verifyOutputs: values['verify-outputs'],
        ...(values['no-warm-workers'] ? { warmWorkers: false } : {}),
        observers,
        overrides,
        signal: interrupt.signal,
        warn,
        store,
        ...(executor ? { executor } : {}),
      });
      if (values.json) line(io.stdout, resultJson(result));
      return exitCodeOf(result);
    } finally {
      interrupt.dispose();
      await store.close();
      await executor?.close();
    }
  },
};
