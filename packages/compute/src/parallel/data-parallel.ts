/**
 * Data-parallel training over worker threads: each worker holds a replica of the model and computes
 * the gradients of its shard of the batch; the gradients are summed through one shared WebAssembly
 * memory (memory.ts), each worker clips and AdamW-updates the element range it owns, and every
 * replica reads the new parameters at the start of the next step. One optimizer step per `step()` call, equal (up to
 * float32 summation order) to a step over the whole batch in one process.
 *
 *   const dp = await startDataParallel({ module: new URL('./replica.ts', import.meta.url), workers: 2, options });
 *   const loss = await dp.step(lr);   // …
 *   const params = dp.parameters();   // Map<name, { shape, values }>
 *   await dp.close();
 */
import { Worker } from 'node:worker_threads';
import { sameLayout, type ParamLayout } from './layout.ts';
import { abortBarrier, CONTROL_INTS } from './barrier.ts';
import { allocateShared, sharedLayout } from './memory.ts';
import type { FromWorker, OptimizerConfig, ToWorker, WorkerInit } from './protocol.ts';

export interface DataParallelOptions {
  /** Module exporting `createReplica(context)` (see replica.ts). */
  module: URL | string;
  workers: number;
  /** Passed to every `createReplica` (must be structured-cloneable). */
  options?: unknown;
  optimizer?: Partial<OptimizerConfig>;
  /** The workers' environment (default: this process's), e.g. `TUNEKIT_BACKEND`. */
  env?: NodeJS.ProcessEnv;
}

export interface DataParallel {
  readonly workers: number;
  readonly backend: string;
  readonly layout: ParamLayout;
  /** One optimizer step at learning rate `lr` (default: the optimizer's) over the next batch (replicas get its 0-based index); resolves to the batch loss. */
  step(lr?: number): Promise<number>;
  /** Current parameters (copies). */
  parameters(): Map<string, { shape: number[]; values: Float32Array }>;
  close(): Promise<void>;
}

const DEFAULT_OPTIMIZER: OptimizerConfig = { lr: 5e-5, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 };

class ReplicaWorker {
  private pending?: { resolve: (m: FromWorker) => void; reject: (e: Error) => void };
  private readonly inbox: FromWorker[] = [];
  private failure?: Error;

  constructor(readonly worker: Worker, rank: number) {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'error') return this.fail(Object.assign(new Error(`data-parallel replica ${rank}: ${m.message}`), { stack: m.stack }));
      const pending = this.pending;
      this.pending = undefined;
      if (pending) pending.resolve(m);
      else this.inbox.push(m);
    });
    worker.on('error', (e) => this.fail(new Error(`data-parallel replica ${rank} crashed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`data-parallel replica ${rank} exited (code ${code})`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.pending?.reject(error);
    this.pending = undefined;
  }

  /** Resolves with the worker's next message; `message` is sent first when given. */
  request<T extends FromWorker['type']>(expect: T, message?: ToWorker): Promise<Extract<FromWorker, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    const queued = this.inbox.shift();
    const reply = queued ? Promise.resolve(queued) : new Promise<FromWorker>((resolve, reject) => (this.pending = { resolve, reject }));
    if (message) this.worker.postMessage(message);
    return reply.then((m) => {
      if (m.type !== expect) throw new Error(`data-parallel: expected "${expect}" from a replica, got "${m.type}"`);
      return m as Extract<FromWorker, { type: T }>;
    });
  }
}

export async function startDataParallel(options: DataParallelOptions): Promise<DataParallel> {
  const worldSize = options.workers;
  if (!Number.isInteger(worldSize) || worldSize < 1) throw new Error(`data-parallel: workers must be an integer ≥ 1, got ${worldSize}`);
  const optimizer = { ...DEFAULT_OPTIMIZER, ...options.optimizer };
  const moduleUrl = options.module instanceof URL ? options.module.href : options.module;
  const workers = Array.from({ length: worldSize }, (_, rank) => {
    const workerData: WorkerInit = { moduleUrl, rank, worldSize, options: options.options };
    return new ReplicaWorker(new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData, execArgv: [], env: options.env ?? process.env }), rank);
  });
  const all = <T extends FromWorker['type']>(expect: T, message?: (rank: number) => ToWorker | undefined) =>
    Promise.all(workers.map((w, rank) => w.request(expect, message?.(rank))));
  const close = async () => {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  };

  try {
    const ready = await all('ready');
    const layout = ready[0].layout;
    for (const [rank, r] of ready.entries()) {
      if (!sameLayout(layout, r.layout)) throw new Error(`data-parallel: replica ${rank} built different parameters than replica 0 (names, order or shapes)`);
    }
    const shared = sharedLayout(layout.total, worldSize);
    const memory = allocateShared(shared);
    await all('published', () => ({ type: 'buffers', memory, shared, optimizer }));
    const paramView = new Float32Array(memory.buffer, shared.params, layout.total);
    const control = new Int32Array(memory.buffer, shared.control, CONTROL_INTS);
    let t = 0;
    let broken: Error | undefined;
    return {
      workers: worldSize,
      backend: ready[0].backend,
      layout,
      async step(lr = optimizer.lr) {
        // After any failure the replicas' states disagree: every later step reports the first error.
        if (broken) throw broken;
        try {
          const step = t++;
          const replies = await all('stepped', () => ({ type: 'step', step, lr }));
          return replies.reduce((a, r) => a + r.loss, 0);
        } catch (error) {
          broken = error as Error;
          abortBarrier(control); // replicas waiting for the failed one stop waiting
          await close();
          throw error;
        }
      },
      parameters() {
        return new Map(layout.entries.map((e) => [e.name, { shape: e.shape, values: paramView.slice(e.offset, e.offset + e.size) }]));
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
