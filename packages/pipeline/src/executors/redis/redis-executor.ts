/**
 * The coordinator's side of the redis executor: each ready, uncached stage becomes one BullMQ job
 * (id = its cache key) that a `tunekit worker` takes; this waits for the job's result, relays what
 * the worker reports (which worker took it, log lines, metrics, progress) and returns the store
 * entry the worker committed. The runner keeps holding the store's per-key lock meanwhile, so two
 * coordinators never enqueue one key twice; a coordinator restarted with the same command joins
 * the job still queued or running instead of adding another.
 *
 * Waiting polls the job (state and new log lines, every `pollMs`) instead of subscribing to
 * events: a poll cannot miss anything across a Redis restart. If Redis does not answer for
 * `unreachableMs` the stage fails with the URL and the error (never a hang); a job that vanished
 * (Redis restarted without persistence) is enqueued again.
 */
import { hostname } from 'node:os';
import { relative } from 'node:path';
import { stringify } from 'yaml';
import { Queue } from 'bullmq';
import { isRemoteLocation } from '../../cache/open-store.ts';
import { WORKER_TAG, type Executor, type StageMessage, type StageTask, type TaskResult } from '../executor.ts';
import { checkReachable, connectionOptions, within } from './redis-connection.ts';
import { parseRedisUrl, type RedisLocation } from './redis-url.ts';
import { fromStoreRelative, JOB_FORMAT, jobIdOf, mapInputDirs, QUEUE_NAME, thisProcess, toStoreRelative, workerName, type JobEvent, type StageJobData, type StageJobResult } from './stage-job.ts';

export interface RedisExecutorOptions {
  /** How long Redis may stay unreachable before a waiting stage fails (default TUNEKIT_REDIS_TIMEOUT_S, else 60 s). */
  unreachableMs?: number;
  pollMs?: number;
  /** Where the URL came from, for messages (`--executor`, `executor:`, TUNEKIT_EXECUTOR). */
  source?: string;
}

/** A job vanishing more often than this (Redis restarted again and again) fails the stage. */
const MAX_REQUEUES = 3;
const REDIS_CALL_MS = 5000;

export class RedisExecutor implements Executor {
  readonly name: string;
  private readonly queue: Queue<StageJobData, StageJobResult>;
  private readonly unreachableMs: number;
  private readonly pollMs: number;

  private constructor(private readonly location: RedisLocation, options: RedisExecutorOptions) {
    this.name = location.display;
    this.queue = new Queue(QUEUE_NAME, { connection: connectionOptions(location) });
    this.queue.on('error', () => undefined); // reconnects are handled by ioredis; failures surface in run()
    const fromEnv = Number(process.env.TUNEKIT_REDIS_TIMEOUT_S);
    this.unreachableMs = options.unreachableMs ?? (fromEnv > 0 ? fromEnv * 1000 : 60_000);
    this.pollMs = options.pollMs ?? 250;
  }

  /** Parse the URL and check Redis answers (an ExecutorError, exit 2, within ~5 s if not). */
  static async open(url: string, options: RedisExecutorOptions = {}): Promise<RedisExecutor> {
    const location = parseRedisUrl(url, options.source);
    await checkReachable(location);
    return new RedisExecutor(location, options);
  }

  async run(task: StageTask): Promise<TaskResult> {
    const jobId = jobIdOf(task.key);
    const root = task.store.root;
    const data: StageJobData = {
      format: JOB_FORMAT,
      runId: task.runId,
      pipeline: { file: relative(task.pipeline.workspaceRoot, task.pipeline.file), text: stringify(task.pipeline.document) },
      stageId: task.stage.id,
      key: task.key,
      components: task.components,
      inputs: mapInputDirs(task.inputs, (dir) => toStoreRelative(dir, root)),
      logFile: toStoreRelative(task.logFile, root),
      coordinator: thisProcess(),
    };
    const call = <T>(promise: Promise<T>) => within(promise, REDIS_CALL_MS, `no answer within ${REDIS_CALL_MS / 1000} s`);
    const note = (message: string) => task.onMessage({ type: 'log', level: 'info', message });
    let lastContact = Date.now();
    let logOffset = 0;
    let requeues = 0;
    // The worker appends the stage's output to the log file in its own store root. With a shared
    // directory store that is this run's log file; with a remote store (S3) each machine has its
    // own root, so the relayed lines are copied into this machine's log (unless the worker is a
    // process of this machine on this very root).
    let copyOutput = false;

    const enqueue = async (): Promise<void> => {
      const existing = await call(this.queue.getJob(jobId));
      if (existing) {
        const state = await call(existing.getState());
        if (state !== 'completed' && state !== 'failed') {
          note(`joining the job already ${state === 'active' ? 'running' : 'queued'} for this stage (${jobId.slice(0, 18)}…)`);
          return;
        }
        // Finished between this run's cache lookup and now (another coordinator's job): its entry is there.
        if (state === 'completed' && (await task.store.lookup(task.key))) return;
        // A finished job of an earlier run: its entry was not in the store (or it failed), so run again.
        await call(existing.remove()).catch(() => undefined);
      }
      logOffset = 0;
      await call(
        this.queue.add('stage', data, {
          jobId,
          attempts: 2,
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: { age: 24 * 3600 },
        }),
      );
    };

    const relay = (raw: string) => {
      let event: JobEvent;
      try {
        event = JSON.parse(raw) as JobEvent;
      } catch {
        return;
      }
      if (event.t === 'claimed') {
        copyOutput = isRemoteLocation(task.store.location) && !(event.worker.host === hostname() && event.store === root);
        note(`running on worker ${workerName(event.worker)}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`);
        // A tag too: the console names the worker off a terminal, tracking records it on the stage's run.
        task.onMessage({ type: 'tag', key: WORKER_TAG, value: workerName(event.worker) });
      }
      else if (event.t === 'out') {
        if (copyOutput) task.log.write(`${event.line}\n`);
        task.onOutput(event.source, event.line);
      }
      else if (event.t === 'msg') {
        const message: StageMessage = event.message.type === 'artifact' ? { ...event.message, path: fromStoreRelative(event.message.path, root) } : event.message;
        task.onMessage(message);
      }
    };

    try {
      await enqueue();
    } catch (error) {
      return { ok: false, error: `cannot enqueue the stage on Redis at ${this.location.display}: ${(error as Error).message}` };
    }
    for (;;) {
      if (task.signal.aborted) return this.abandon(jobId);
      try {
        const state = await call(this.queue.getJobState(jobId));
        const { logs } = await call(this.queue.getJobLogs(jobId, logOffset, logOffset + 999, true));
        lastContact = Date.now();
        logOffset += logs.length;
        for (const raw of logs) relay(raw);
        if (state === 'completed' || state === 'failed') {
          const job = await call(this.queue.getJob(jobId));
          if (state === 'failed') return { ok: false, error: `job failed on the queue: ${job?.failedReason ?? 'no reason recorded'}` };
          return await this.collect(task, job?.returnvalue);
        }
        if (state === 'unknown') {
          if (await task.store.lookup(task.key)) return await this.collect(task, undefined);
          if (++requeues > MAX_REQUEUES) return { ok: false, error: `the job vanished from Redis at ${this.location.display} ${MAX_REQUEUES} times (Redis restarted without persistence?)` };
          note(`the job is gone from Redis (restarted without persistence?); enqueuing it again`);
          await enqueue();
        }
      } catch (error) {
        const silentMs = Date.now() - lastContact;
        if (silentMs > this.unreachableMs) {
          return {
            ok: false,
            error: `lost Redis at ${this.location.display} for ${Math.round(silentMs / 1000)} s (${(error as Error).message}); a worker may still finish the stage: rerun the same command to pick it up`,
          };
        }
      }
      await new Promise((done) => setTimeout(done, this.pollMs));
    }
  }

  async close(): Promise<void> {
    // A graceful close waits for Redis; when Redis is gone, drop the connection instead of hanging.
    await within(this.queue.close(), 3000, 'close timed out').catch(async () => this.queue.disconnect().catch(() => undefined));
  }

  /** The result of a finished job: the entry the worker committed, read from the shared store. */
  private async collect(task: StageTask, result: StageJobResult | undefined): Promise<TaskResult> {
    if (result && !result.ok) return { ok: false, error: result.error, ...(result.invalidInput ? { invalidInput: true } : {}) };
    const entry = await task.store.lookup(task.key);
    if (!entry) {
      const by = result ? ` by worker ${workerName(result.worker)}` : '';
      return { ok: false, error: `the stage finished${by} but ${task.store.root} has no entry ${task.key.slice(0, 12)}: do the worker's --store and this run's store name the same shared directory?` };
    }
    return { ok: true, entry };
  }

  /** Interrupted: take a queued job back; a running one finishes on its worker (its entry is kept, nothing partial). */
  private async abandon(jobId: string): Promise<TaskResult> {
    try {
      const job = await within(this.queue.getJob(jobId), 2000, 'timeout');
      if (job && (await within(job.getState(), 2000, 'timeout')) === 'waiting') await within(job.remove(), 2000, 'timeout');
    } catch {
      // Redis gone or the job already taken: nothing more to do.
    }
    return { ok: false, error: 'interrupted' };
  }
}
