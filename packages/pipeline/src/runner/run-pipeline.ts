import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../cache/canonical-json.ts';
import type { Store } from '../cache/store.ts';
import { FsStore } from '../cache/stores/fs/fs-store.ts';
import { gitCommit } from '../records/git-commit.ts';
import { readLastKey, writeLastKey } from '../records/last-keys.ts';
import { newRunId, writeRunRecord, type RunRecord, type StageRecord } from '../records/run-record.ts';
import type { InputArtifact } from '../sdk/define-stage.ts';
import type { RunObserver, StageStatus } from '../sdk/run-events.ts';
import type { LoadedPipeline, PlannedStage } from '../spec/load-pipeline.ts';
import { ObserverHub } from './observers.ts';
import { selectStages, type SelectionOptions } from './selection.ts';
import { inputStageIds } from './stage-inputs.ts';
import { computeStageKey, type InputDigests } from './stage-key.ts';
import { forcedReason, missReason } from './miss-reason.ts';
import type { CacheKeyComponents } from '../cache/cache-key.ts';
import type { Executor } from '../executors/executor.ts';
import { LocalExecutor } from '../executors/local/local-executor.ts';
import { createStageRunner } from './stage-runner.ts';

export interface RunOptions extends SelectionOptions {
  /** Stages running at once (default: CPU count). */
  jobs?: number;
  observers?: RunObserver[];
  /** Aborting stops every stage process and leaves no partial store entry. */
  signal?: AbortSignal;
  /** Store directory (default: `TUNEKIT_HOME`, else `<workspace>/.tunekit`). */
  storeRoot?: string;
  /** The store (cache/open-store.ts: a directory or `s3://bucket/prefix`); default the fs store at `storeRoot`. Closed by the caller. */
  store?: Store;
  /** `--set` expressions already applied to the pipeline, kept in the run record. */
  overrides?: readonly string[];
  /**
   * Re-hash every cached output before restoring it. Default false: outputs whose files still
   * match the size/mtime/ctime/inode recorded at commit are trusted (see cache/stat-snapshot.ts).
   */
  verifyOutputs?: boolean;
  /** Warnings (corrupt cache entries, observer failures); default: stderr. */
  warn?: (message: string) => void;
  /** Facts about the compute path this run takes (backend, gemm, workers: the CLI's), kept in the run record. */
  runtime?: Record<string, unknown>;
  /** Run stages in a pool of warm worker processes (default: TUNEKIT_WARM_WORKERS, on); false: a new process per stage. */
  warmWorkers?: boolean;
  /**
   * Who runs the stages that are not cached (executors/): default a LocalExecutor made for this
   * run and closed at its end; one passed here (e.g. the redis executor) is closed by the caller.
   */
  executor?: Executor;
}

export interface StageResult {
  status: StageStatus;
  key: string | null;
  seconds: number;
  outputs: Record<string, { digest: string; path: string }>;
  error?: string;
  /** Failed on invalid input (a StageInputError): the CLI exits 2. */
  invalidInput?: boolean;
  log?: string;
}

export interface RunResult {
  runId: string;
  status: 'succeeded' | 'failed' | 'interrupted';
  stages: Record<string, StageResult>;
  recordFile: string;
}

function safeFileName(id: string): string {
  return id.replace(/[^\w.=,[\]-]/g, '_');
}

/**
 * Run a loaded pipeline: stages in topological order, ready ones in parallel (up to `jobs`),
 * each handed to the executor (default: its own process on this machine); cached stages are
 * restored (verified) without spawning anything.
 */
export async function runPipeline(pipeline: LoadedPipeline, options: RunOptions = {}): Promise<RunResult> {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  const store = options.store ?? new FsStore(options.storeRoot ?? FsStore.resolveRoot(pipeline.workspaceRoot));
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const { included, forced } = selectStages(pipeline.stages, options);
  const executor = options.executor ?? new LocalExecutor(createStageRunner({ warm: options.warmWorkers, jobs }));
  const hub = new ObserverHub(options.observers ?? [], warn);
  const runId = newRunId();
  const interrupt = new AbortController();
  const onAbort = () => interrupt.abort();
  if (options.signal?.aborted) interrupt.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  await mkdir(store.root, { recursive: true });
  const unregister = await store.registerActiveRun(runId);
  await store.cleanStaleTemp();
  const commit = gitCommit(pipeline.dir);
  const record: RunRecord = {
    runId,
    pipelineName: pipeline.name,
    pipelineFile: pipeline.file,
    status: 'running',
    startedAt: new Date().toISOString(),
    gitCommit: commit,
    overrides: [...(options.overrides ?? [])],
    spec: pipeline.document,
    ...(options.runtime ? { runtime: options.runtime } : {}),
    stages: {},
  };
  await writeRunRecord(store.runsDir, record);
  hub.emit('runStarted', {
    runId,
    pipelineName: pipeline.name,
    experiment: pipeline.experiment,
    pipelineFile: pipeline.file,
    params: pipeline.params,
    gitCommit: commit,
    trackingUri: pipeline.trackingUri,
    startedAt: Date.now(),
  });

  const results = new Map<string, StageResult>();
  /** Key components of every stage whose key was computed: the stage's last key once the run ends. */
  const keyed = new Map<string, CacheKeyComponents>();
  const finish = (stage: PlannedStage, result: StageResult, extra: Partial<StageRecord> = {}) => {
    results.set(stage.id, result);
    record.stages[stage.id] = {
      id: stage.id,
      uses: stage.uses,
      status: result.status,
      key: result.key,
      inputs: {},
      outputs: result.outputs,
      seconds: result.seconds,
      log: result.log,
      error: result.error,
      ...extra,
    };
    hub.emit('stageFinished', {
      runId,
      stageId: stage.id,
      uses: stage.uses,
      status: result.status,
      cacheKey: result.key ?? undefined,
      params: stage.params,
      seconds: result.seconds,
      error: result.error,
      producedBy: extra.producedBy,
      reason: extra.reason,
      outputs: result.status === 'ran' || result.status === 'cached' ? result.outputs : undefined,
      log: result.log,
      finishedAt: Date.now(),
    });
  };

  /** Input artifacts of a stage from its finished upstream stages (collections materialised). */
  const gatherInputs = async (stage: PlannedStage): Promise<{ artifacts: Record<string, InputArtifact>; digests: InputDigests }> => {
    const artifacts: Record<string, InputArtifact> = {};
    const digests: InputDigests = {};
    for (const [name, input] of Object.entries(stage.inputs)) {
      const slot = stage.plugin.definition.inputs[name];
      if (input.kind === 'single') {
        const out = results.get(input.stageId)!.outputs[input.output]!;
        digests[name] = out.digest;
        const producer = pipeline.stages.find((s) => s.id === input.stageId)!;
        artifacts[name] = { dir: out.path, digest: out.digest };
        if (slot?.collection) artifacts[name]!.items = [{ stageId: producer.id, coords: producer.coords, dir: out.path, digest: out.digest }];
      } else {
        const items = input.items.map((item) => {
          const out = results.get(item.stageId)!.outputs[input.output]!;
          return { stageId: item.stageId, coords: item.coords, dir: out.path, digest: out.digest };
        });
        digests[name] = items.map((item) => ({ coords: item.coords, digest: item.digest }));
        const digest = createHash('sha256').update(canonicalJson(digests[name])).digest('hex');
        artifacts[name] = { dir: await store.collectionDir(digest, items), digest, items };
      }
    }
    return { artifacts, digests };
  };

  const executeStage = async (stage: PlannedStage): Promise<void> => {
    const started = performance.now();
    const seconds = () => Math.round((performance.now() - started) / 10) / 100;
    const { artifacts, digests } = await gatherInputs(stage);
    const inputRecord = Object.fromEntries(Object.entries(artifacts).map(([name, artifact]) => [name, artifact.digest]));
    const { key, components } = await computeStageKey(stage, pipeline, digests, { storeRoot: store.root });
    keyed.set(stage.id, components);
    const outputsOf = (entryOutputs: Record<string, string>) =>
      Object.fromEntries(Object.entries(entryOutputs).map(([name, digest]) => [name, { digest, path: store.outputPath(key, name) }]));
    const tryCache = async (): Promise<boolean> => {
      if (forced.has(stage.id)) return false;
      const entry = await store.lookup(key);
      if (!entry) return false;
      const problems = await store.verify(entry, { trustStat: !options.verifyOutputs });
      if (problems.length > 0) {
        warn(`${stage.id}: corrupted cache entry ${key.slice(0, 12)} (${problems.join('; ')}); removing it and rerunning`);
        await store.remove(key);
        return false;
      }
      finish(stage, { status: 'cached', key, seconds: seconds(), outputs: outputsOf(entry.meta.outputs) }, {
        inputs: inputRecord,
        fingerprint: components.fingerprint,
        producedBy: { runId: entry.meta.runId, stageId: entry.meta.stageId },
      });
      return true;
    };
    if (await tryCache()) return;
    let release: () => Promise<void>;
    try {
      release = await store.lockKey(key, interrupt.signal);
    } catch (error) {
      if (!interrupt.signal.aborted) throw error;
      finish(stage, { status: 'failed', key, seconds: seconds(), outputs: {}, error: 'interrupted' }, { inputs: inputRecord });
      return;
    }
    let log: WriteStream | undefined;
    try {
      if (await tryCache()) return;
      if (interrupt.signal.aborted) {
        finish(stage, { status: 'failed', key, seconds: seconds(), outputs: {}, error: 'interrupted' }, { inputs: inputRecord });
        return;
      }
      const reason = forced.has(stage.id) ? forcedReason(stage, options.noCache) : missReason(await readLastKey(store.root, pipeline.name, stage.id), key, components).reason;
      const logFile = join(store.logsDir(runId), `${safeFileName(stage.id)}.log`);
      await mkdir(store.logsDir(runId), { recursive: true });
      log = createWriteStream(logFile, { flags: 'a' });
      hub.emit('stageStarted', { runId, stageId: stage.id, uses: stage.uses, params: stage.params, cacheKey: key, reason, startedAt: Date.now() });
      const logStream = log;
      const base = { runId, stageId: stage.id };
      const outcome = await executor.run({
        runId,
        pipeline,
        stage,
        key,
        components,
        inputs: artifacts,
        store,
        logFile,
        log: logStream,
        signal: interrupt.signal,
        onOutput: (source, line) => hub.emit('stageLog', { ...base, level: source === 'stderr' ? 'warn' : 'info', message: line, source }),
        onMessage: (message) => {
          if (message.type === 'log') {
            logStream.write(`${message.level === 'warn' ? 'warning: ' : ''}${message.message}\n`);
            hub.emit('stageLog', { ...base, level: message.level, message: message.message, source: 'log' });
          } else if (message.type === 'metric') hub.emit('stageMetric', { ...base, key: message.key, value: message.value, step: message.step, timestamp: message.timestamp });
          else if (message.type === 'tag') hub.emit('stageTag', { ...base, key: message.key, value: message.value });
          else if (message.type === 'artifact') hub.emit('stageArtifact', { ...base, path: message.path });
          else if (message.type === 'progress') {
            const { type: _type, ...progress } = message;
            hub.emit('stageProgress', { ...base, ...progress });
          }
        },
      });
      if (!outcome.ok) {
        logStream.write(`\nstage failed: ${outcome.error}\n`);
        finish(stage, { status: 'failed', key, seconds: seconds(), outputs: {}, error: outcome.error, ...(outcome.invalidInput ? { invalidInput: true } : {}), log: logFile }, { inputs: inputRecord, fingerprint: components.fingerprint, reason });
        return;
      }
      finish(stage, { status: 'ran', key, seconds: seconds(), outputs: outputsOf(outcome.entry.meta.outputs), log: logFile }, { inputs: inputRecord, fingerprint: components.fingerprint, reason });
    } finally {
      if (log) await new Promise<void>((done) => log!.end(done));
      await release().catch(() => undefined);
    }
  };

  // Scheduler: start every ready stage (all inputs ran/cached) while fewer than `jobs` run.
  const queue = pipeline.stages.filter((stage) => included.has(stage.id));
  const running = new Map<string, Promise<void>>();
  while (queue.length > 0 || running.size > 0) {
    for (let i = 0; i < queue.length; i++) {
      const stage = queue[i]!;
      const deps = inputStageIds(stage);
      if (!deps.every((id) => results.has(id))) continue;
      const blocked = deps.find((id) => results.get(id)!.status === 'failed' || results.get(id)!.status === 'skipped');
      if (blocked || interrupt.signal.aborted) {
        queue.splice(i--, 1);
        const reason = blocked ? `upstream stage ${blocked} ${results.get(blocked)!.status}` : 'interrupted';
        finish(stage, { status: 'skipped', key: null, seconds: 0, outputs: {}, error: reason });
        continue;
      }
      if (running.size >= jobs) continue;
      queue.splice(i--, 1);
      const task = executeStage(stage)
        .catch((error: unknown) => {
          finish(stage, { status: 'failed', key: results.get(stage.id)?.key ?? null, seconds: 0, outputs: {}, error: `engine error: ${(error as Error).stack ?? error}` });
        })
        .finally(() => running.delete(stage.id));
      running.set(stage.id, task);
    }
    if (running.size > 0) await Promise.race(running.values());
    else if (queue.length > 0 && !queue.some((stage) => inputStageIds(stage).every((id) => results.has(id)))) {
      // Everything left waits for stages outside the selection (cannot happen with closed selections).
      for (const stage of queue.splice(0)) finish(stage, { status: 'skipped', key: null, seconds: 0, outputs: {}, error: 'inputs not available' });
    }
  }

  if (!options.executor) await executor.close();
  const statuses = [...results.values()].map((result) => result.status);
  const status: RunResult['status'] = interrupt.signal.aborted ? 'interrupted' : statuses.some((s) => s === 'failed' || s === 'skipped') ? 'failed' : 'succeeded';
  for (const [stageId, components] of keyed) {
    const result = results.get(stageId);
    if (!result?.key || result.status === 'skipped' || result.error === 'interrupted') continue;
    const last = { pipeline: pipeline.name, stageId, key: result.key, components, status: result.status, runId, at: new Date().toISOString() };
    await writeLastKey(store.root, last).catch((error: unknown) => warn(`${stageId}: cannot record its last key: ${(error as Error).message}`));
  }
  record.status = status;
  record.finishedAt = new Date().toISOString();
  const recordFile = await writeRunRecord(store.runsDir, record);
  hub.emit('runFinished', { runId, status, finishedAt: Date.now(), recordFile });
  await hub.drain();
  await unregister();
  options.signal?.removeEventListener('abort', onAbort);
  const stages: Record<string, StageResult> = {};
  for (const stage of pipeline.stages) {
    const result = results.get(stage.id);
    if (result) stages[stage.id] = result;
  }
  return { runId, status, stages, recordFile };
}
