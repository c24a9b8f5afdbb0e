/**
 * A pool of warm stage workers (at most `size` processes, started on demand): `run` takes an idle
 * worker (or starts one, or waits for one), runs the stage in it and keeps the worker for the next
 * stage unless it must retire — its stage failed, crashed it or was killed, it left something the
 * worker cannot undo (worker-baseline.ts), it grew past `maxRssMb` or ran `maxStages` stages.
 * A retired worker is ended and a replacement starts at once, so the next stage finds a warm one.
 * `shutdown` ends every worker and waits for their exits (no orphan processes).
 */
import type { StageOutcome, StageProcessOptions } from '../stage-process.ts';
import type { RetirePolicy } from './settings.ts';
import { WarmWorker } from './warm-worker.ts';

export interface WarmPoolOptions {
  size: number;
  policy: RetirePolicy;
  /** Environment of every worker (default: this process's at pool creation). */
  env?: NodeJS.ProcessEnv;
  /** Working directory workers start in (each stage runs in its own). */
  cwd?: string;
}

/** Counts for tests and benchmarks. */
export interface WarmPoolStats {
  started: number;
  stages: number;
  /** Why workers were retired, one entry per retired worker. */
  retired: string[][];
  /** pid → stages it ran. */
  stagesByPid: Map<number, number>;
}

export class WarmPool {
  private readonly workers = new Set<WarmWorker>();
  private readonly idle: WarmWorker[] = [];
  private readonly waiting: Array<(worker: WarmWorker | undefined) => void> = [];
  private readonly stopping = new Set<Promise<void>>();
  private readonly env: NodeJS.ProcessEnv;
  private closed = false;
  private generation = 0;
  readonly stats: WarmPoolStats = { started: 0, stages: 0, retired: [], stagesByPid: new Map() };

  constructor(private readonly options: WarmPoolOptions) {
    this.env = { ...(options.env ?? process.env) };
  }

  async run(options: StageProcessOptions): Promise<StageOutcome> {
    if (this.closed) return { ok: false, error: 'the warm worker pool is shut down' };
    let worker: WarmWorker;
    try {
      worker = await this.acquire(options.signal);
    } catch (error) {
      return { ok: false, error: options.signal.aborted ? 'interrupted' : (error as Error).message };
    }
    const { outcome, after } = await worker.run(options, ++this.generation);
    const pid = worker.pid!;
    this.stats.stages++;
    this.stats.stagesByPid.set(pid, (this.stats.stagesByPid.get(pid) ?? 0) + 1);
    if (!worker.alive) worker.retired ??= [outcome.ok ? 'its process exited' : outcome.error];
    else if (after && after.rssMb > this.options.policy.maxRssMb) worker.retired ??= [`resident memory ${after.rssMb} MiB > ${this.options.policy.maxRssMb} MiB`];
    else if (worker.stagesRun >= this.options.policy.maxStages) worker.retired ??= [`ran ${worker.stagesRun} stages (the limit)`];
    this.release(worker, options.signal.aborted);
    return outcome;
  }

  /** End every worker (idle, starting or busy) and wait until each process has exited. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const take of this.waiting.splice(0)) take(undefined);
    for (const worker of this.workers) this.discard(worker);
    this.idle.length = 0;
    await Promise.all(this.stopping);
  }

  private async acquire(signal: AbortSignal): Promise<WarmWorker> {
    for (;;) {
      if (signal.aborted) throw new Error('interrupted');
      const worker = this.idle.shift() ?? (this.workers.size < this.options.size ? this.start() : await this.nextReleased(signal));
      if (!worker) throw new Error('the warm worker pool is shut down');
      try {
        await worker.ready;
      } catch (error) {
        this.workers.delete(worker);
        throw error;
      }
      if (worker.reusable) return worker;
      this.discard(worker);
    }
  }

  private nextReleased(signal: AbortSignal): Promise<WarmWorker | undefined> {
    return new Promise((resolve) => {
      const take = (worker: WarmWorker | undefined) => {
        signal.removeEventListener('abort', onAbort);
        resolve(worker);
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(take);
    });
  }

  private start(): WarmWorker {
    const worker = new WarmWorker({ env: this.env, cwd: this.options.cwd ?? process.cwd() });
    this.workers.add(worker);
    this.stats.started++;
    void worker.exited.then(() => {
      // A worker that dies while idle (killed from outside) is simply dropped; the next stage starts another.
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      if (at >= 0) this.workers.delete(worker);
    });
    return worker;
  }

  private release(worker: WarmWorker, aborted: boolean): void {
    if (worker.reusable && !this.closed) return this.handOver(worker);
    this.discard(worker);
    // Keep the pool warm: a replacement starts now, while the scheduler picks the next stage.
    if (!this.closed && !aborted) this.handOver(this.start());
  }

  private handOver(worker: WarmWorker): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(worker);
    else this.idle.push(worker);
  }

  private discard(worker: WarmWorker): void {
    this.workers.delete(worker);
    if (worker.retired) this.stats.retired.push(worker.retired);
    const stopped = worker.stop().finally(() => this.stopping.delete(stopped));
    this.stopping.add(stopped);
  }
}
