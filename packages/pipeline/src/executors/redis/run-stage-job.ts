/**
 * A worker runs one job: load the pipeline from the job's resolved spec in this machine's
 * checkout, find the stage, recompute its cache key with the job's input digests and refuse the
 * job if the key differs (this machine's code, plugin versions or runtime are not the
 * coordinator's), materialise the inputs from the store, then run the stage through the
 * LocalExecutor (its own process, outputs committed atomically) and report as it goes.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Store } from '../../cache/store.ts';
import { describeKeyChanges, diffKeyComponents } from '../../cache/key-diff.ts';
import { computeStageKey } from '../../runner/stage-key.ts';
import { loadPipeline, type LoadedPipeline } from '../../spec/load-pipeline.ts';
import type { InputArtifact } from '../../sdk/define-stage.ts';
import type { LocalExecutor } from '../local/local-executor.ts';
import type { StageMessage } from '../executor.ts';
import { entryKeyOf, fromStoreRelative, JOB_FORMAT, toStoreRelative, workerName, type JobEvent, type StageJobData, type WorkerId } from './stage-job.ts';

/** The job cannot run on this worker, and retrying it here will not help (BullMQ: UnrecoverableError). */
export class JobRefused extends Error {}

export interface JobContext {
  data: StageJobData;
  attempt: number;
  store: Store;
  workspaceRoot: string;
  executor: LocalExecutor;
  worker: WorkerId;
  signal: AbortSignal;
  /** Send one event to the coordinator (a job log line). */
  report(event: JobEvent): void;
}

export type JobOutcome = { ok: true; /** found in the store, nothing ran */ alreadyStored?: boolean } | { ok: false; error: string; invalidInput?: boolean };

/** Loaded pipelines by resolved spec: a worker loads each spec once. */
const pipelines = new Map<string, Promise<LoadedPipeline>>();

function pipelineOf(data: StageJobData, workspaceRoot: string): Promise<LoadedPipeline> {
  const cacheKey = `${data.pipeline.file}\n${data.pipeline.text}`;
  let pending = pipelines.get(cacheKey);
  if (!pending) {
    pending = loadPipeline(join(workspaceRoot, data.pipeline.file), { text: data.pipeline.text });
    pipelines.set(cacheKey, pending);
    pending.catch(() => pipelines.delete(cacheKey));
  }
  return pending;
}

export async function runStageJob(job: JobContext): Promise<JobOutcome> {
  const { data, store } = job;
  const me = workerName(job.worker);
  if (data.format !== JOB_FORMAT) throw new JobRefused(`worker ${me} refuses ${data.stageId}: job format ${data.format}, this worker reads format ${JOB_FORMAT} (update the worker's checkout)`);
  let pipeline: LoadedPipeline;
  try {
    pipeline = await pipelineOf(data, job.workspaceRoot);
  } catch (error) {
    throw new JobRefused(`worker ${me} cannot load ${data.pipeline.file} from ${job.workspaceRoot}: ${(error as Error).message}`);
  }
  const stage = pipeline.stages.find((candidate) => candidate.id === data.stageId);
  if (!stage) throw new JobRefused(`worker ${me}: ${data.pipeline.file} has no stage ${data.stageId} in this checkout`);
  const { key, components } = await computeStageKey(stage, pipeline, data.components.inputs, { storeRoot: store.root });
  if (key !== data.key) {
    const differences = describeKeyChanges(diffKeyComponents(data.components, components), data.components as unknown as Record<string, unknown>, components as unknown as Record<string, unknown>);
    throw new JobRefused(
      `worker ${me} refuses ${data.stageId}: its cache key differs from the coordinator's (${differences.join('; ')}); run the same checkout and dependencies (same commit, npm ci) on every machine, then restart the worker`,
    );
  }

  // Another worker (a stalled attempt that finished after all) may have committed it already.
  const existing = await store.lookup(key);
  if (existing && (await store.verify(existing, { trustStat: true })).length === 0) {
    job.report({ t: 'msg', message: { type: 'log', level: 'info', message: `already in the store (committed by ${existing.meta.runId}); nothing to run` } });
    return { ok: true, alreadyStored: true };
  }

  const inputs = await materialiseInputs(data.inputs, store);
  const logFile = fromStoreRelative(data.logFile, store.root);
  await mkdir(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`--- ${data.stageId} on worker ${me}, attempt ${job.attempt} ---\n`);
  try {
    const result = await job.executor.run({
      runId: data.runId,
      pipeline,
      stage,
      key,
      components,
      inputs,
      store,
      logFile,
      log,
      signal: job.signal,
      onOutput: (source, line) => job.report({ t: 'out', source, line }),
      onMessage: (message: StageMessage) =>
        job.report({ t: 'msg', message: message.type === 'artifact' ? { ...message, path: toStoreRelative(message.path, store.root) } : message }),
    });
    if (result.ok) return { ok: true };
    log.write(`\nstage failed on worker ${me}: ${result.error}\n`);
    return { ok: false, error: result.error, ...(result.invalidInput ? { invalidInput: true } : {}) };
  } finally {
    await new Promise<void>((done) => log.end(done));
  }
}

/** Input directories in this machine's store; each entry is looked up (a remote store fetches it) and must exist. */
async function materialiseInputs(inputs: Record<string, InputArtifact>, store: Store): Promise<Record<string, InputArtifact>> {
  const local = async (name: string, path: string): Promise<string> => {
    const key = entryKeyOf(path);
    if (key && !(await store.lookup(key))) throw new JobRefused(`input ${name}: entry ${key.slice(0, 12)} is not in this worker's store ${store.root} (is --store the coordinator's store?)`);
    return fromStoreRelative(path, store.root);
  };
  const result: Record<string, InputArtifact> = {};
  for (const [name, artifact] of Object.entries(inputs)) {
    const items = artifact.items ? await Promise.all(artifact.items.map(async (item) => ({ ...item, dir: await local(name, item.dir) }))) : undefined;
    let dir = await local(name, artifact.dir);
    // A gathered input: the coordinator's collection directory, or the same one built here.
    if (items && !existsSync(dir)) dir = await store.collectionDir(artifact.digest, items);
    if (!existsSync(dir)) throw new JobRefused(`input ${name}: ${dir} does not exist in this worker's store (is --store the coordinator's store?)`);
    result[name] = { ...artifact, dir, ...(items ? { items } : {}) };
  }
  return result;
}
