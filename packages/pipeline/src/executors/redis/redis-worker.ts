/**
 * `tunekit worker`: a long-running BullMQ worker that takes stage jobs (up to `concurrency` at
 * once) and runs each through `runStageJob`. Its lock on a job is renewed while the stage runs;
 * if the worker dies (SIGKILL, power) the lock expires after `lockMs`, another worker's stalled
 * check puts the job back and it runs again elsewhere (at most `maxStalls` times, then the job
 * fails and so does the run). `drain()` (first SIGTERM) takes no new job and returns when the
 * running ones finished; `stop()` (second SIGTERM) interrupts them and hands them back at once.
 */
import { Redis } from 'ioredis';
import { UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Store } from '../../cache/store.ts';
import { createStageRunner } from '../../runner/stage-runner.ts';
import { LocalExecutor, type StageProcessRunner } from '../local/local-executor.ts';
import { checkReachable, connectionOptions, within } from './redis-connection.ts';
import { parseRedisUrl } from './redis-url.ts';
import { JobRefused, runStageJob } from './run-stage-job.ts';
import { QUEUE_NAME, thisProcess, workerName, type JobEvent, type StageJobData, type StageJobResult } from './stage-job.ts';
import { WorkerRegistration } from './worker-registry.ts';

export interface StageWorkerOptions {
  url: string;
  store: Store;
  workspaceRoot: string;
  concurrency: number;
  /** How plugin stages' processes start (default: the local runner's, a warm pool of `concurrency` unless TUNEKIT_WARM_WORKERS=0). */
  processRunner?: StageProcessRunner;
  /** Job lock: how long a dead worker's job waits before another takes it (default TUNEKIT_WORKER_LOCK_MS, else 30 s). */
  lockMs?: number;
  /** Times a job may be taken back from a dead worker before it fails (default 2). */
  maxStalls?: number;
  /** One line per event (job taken, finished, refused). */
  say(line: string): void;
}

export class StageWorker {
  private readonly worker: Worker<StageJobData, StageJobResult>;
  private readonly redis: Redis;
  private readonly registration: WorkerRegistration;
  private readonly executor: LocalExecutor;
  /** Aborted by stop(): every running stage is interrupted and its job handed back. */
  private readonly stopping = new AbortController();

  private constructor(private readonly options: StageWorkerOptions, location: ReturnType<typeof parseRedisUrl>) {
    const me = thisProcess();
    const lockMs = options.lockMs ?? (Number(process.env.TUNEKIT_WORKER_LOCK_MS) || 30_000);
    this.executor = new LocalExecutor(options.processRunner ?? createStageRunner({ jobs: options.concurrency }));
    this.redis = new Redis(connectionOptions(location));
    this.redis.on('error', () => undefined);
    this.registration = new WorkerRegistration(this.redis, { ...me, concurrency: options.concurrency, store: options.store.root, startedAt: new Date().toISOString() });
    this.worker = new Worker<StageJobData, StageJobResult>(
      QUEUE_NAME,
      async (job, token, signal) => {
        const data = job.data;
        const attempt = job.attemptsStarted + job.stalledCounter;
        const controller = new AbortController();
        const abort = () => controller.abort();
        signal?.addEventListener('abort', abort, { once: true });
        this.stopping.signal.addEventListener('abort', abort, { once: true });
        let logs = Promise.resolve();
        const report = (event: JobEvent) => {
          logs = logs.then(() => job.log(JSON.stringify(event)).then(() => undefined)).catch(() => undefined);
        };
        report({ t: 'claimed', worker: me, attempt, store: options.store.root });
        options.say(`${data.stageId}: taken (run ${data.runId}, attempt ${attempt})`);
        this.registration.started(data.stageId);
        try {
          const outcome = await runStageJob({ data, attempt, store: options.store, workspaceRoot: options.workspaceRoot, executor: this.executor, worker: me, signal: controller.signal, report });
          await logs;
          if (this.stopping.signal.aborted) {
            // Stopped on purpose: hand the job back now instead of waiting for its lock to expire.
            options.say(`${data.stageId}: handed back (worker stopping)`);
            await job.moveToWait(token);
            throw new WaitingError();
          }
          options.say(`${data.stageId}: ${outcome.ok ? (outcome.alreadyStored ? 'done (already in the store, nothing ran)' : 'done') : `failed: ${outcome.error}`}`);
          if (outcome.ok) return { worker: me, ok: true };
          return { worker: me, ...outcome };
        } catch (error) {
          await logs;
          if (error instanceof JobRefused) {
            options.say(`${data.stageId}: refused: ${error.message}`);
            throw new UnrecoverableError(error.message);
          }
          throw error;
        } finally {
          this.registration.finished(data.stageId);
          signal?.removeEventListener('abort', abort);
          this.stopping.signal.removeEventListener('abort', abort);
        }
      },
      {
        connection: connectionOptions(location),
        concurrency: options.concurrency,
        lockDuration: lockMs,
        stalledInterval: Math.max(1000, Math.round(lockMs / 2)),
        maxStalledCount: options.maxStalls ?? 2,
        autorun: false,
      },
    );
    this.worker.on('error', (error) => options.say(`queue error: ${error.message}`));
  }

  /** Check Redis answers (ExecutorError naming the URL if not), then start taking jobs. */
  static async start(options: StageWorkerOptions): Promise<StageWorker> {
    const location = parseRedisUrl(options.url, '--redis');
    await checkReachable(location);
    const worker = new StageWorker(options, location);
    await worker.registration.publish();
    void worker.worker.run();
    await worker.worker.waitUntilReady();
    options.say(`worker ${workerName(thisProcess())} on ${location.display}: concurrency ${options.concurrency}, store ${options.store.root}`);
    return worker;
  }

  /** Take no new job; resolve once the running ones have finished. */
  async drain(): Promise<void> {
    this.registration.drain();
    await this.worker.close();
    await this.shutdown();
  }

  /** Interrupt the running stages, hand their jobs back, stop (within seconds, even with Redis gone). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await within(this.worker.close(true), 5000, 'close timed out').catch(() => undefined);
    await this.shutdown();
  }

  private async shutdown(): Promise<void> {
    await this.executor.close();
    await within(this.registration.remove(), 2000, 'timed out').catch(() => undefined);
    this.redis.disconnect();
  }
}
