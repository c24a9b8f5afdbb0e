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
import { ownedRange, sameLayout, type ParamLayout } from './layout.ts';
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
  /**
   * One optimizer step at `lr` where replica r receives `shards[r]` (structured-cloned) as the
   * second argument of `lossAndGrads`: the batch loss and the global gradient norm before clipping.
   */
  stepShards(lr: number, shards: unknown[]): Promise<{ loss: number; gradNorm: number }>;
  /** Optimizer steps taken (AdamW's bias-correction count; the next step is number `steps + 1`). */
  readonly steps: number;
  /** Current parameters (copies). */
  parameters(): Map<string, { shape: number[]; values: Float32Array }>;
  /** AdamW's first and second moments per parameter (copies, gathered from every owner's range). */
  moments(): Map<string, { shape: number[]; m: Float32Array; v: Float32Array }>;
  /**
   * Between steps: overwrite parameters and/or moments (every name of the layout, same shapes) and
   * the step count, e.g. to resume from a checkpoint. Replicas read them at their next step.
   */
  restore(state: { steps: number; params?: Map<string, { values: Float32Array }>; moments?: Map<string, { m: Float32Array; v: Float32Array }> }): void;
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
    // Per rank: its owned range and views of its Adam moments (rank r's element i sits at i - start).
    const owners = shared.ranks.map((regions, rank) => {
      const { start, end } = ownedRange(layout.total, rank, worldSize);
      return { start, end, m: new Float32Array(memory.buffer, regions.m, end - start), v: new Float32Array(memory.buffer, regions.v, end - start) };
    });
    /** Copy moments of flat elements [offset, offset + size) out of (or into) the owners' regions. */
    const eachOwnedPiece = (offset: number, size: number, visit: (owner: (typeof owners)[number], from: number, to: number) => void) => {
      for (const owner of owners) {
        const from = Math.max(offset, owner.start);
        const to = Math.min(offset + size, owner.end);
        if (from < to) visit(owner, from, to);
      }
    };
    let t = 0;
    let broken: Error | undefined;
    const run = async (lr: number, shards?: unknown[]) => {
      // After any failure the replicas' states disagree: every later step reports the first error.
      if (broken) throw broken;
      try {
        const step = t++;
        const replies = await all('stepped', (rank) => ({ type: 'step', step, lr, ...(shards ? { data: shards[rank] } : {}) }));
        // Every rank computed the same global norm; the losses are the shards' shares.
        return { loss: replies.reduce((a, r) => a + r.loss, 0), gradNorm: replies[0].gradNorm };
      } catch (error) {
        broken = error as Error;
        abortBarrier(control); // replicas waiting for the failed one stop waiting
        await close();
        throw error;
      }
    };
    return {
      workers: worldSize,
      backend: ready[0].backend,
      layout,
      get steps() {
        return t;
      },
      async step(lr = optimizer.lr) {
        return (await run(lr)).loss;
      },
      stepShards(lr, shards) {
        if (shards.length !== worldSize) return Promise.reject(new Error(`data-parallel: stepShards needs one shard per replica (${worldSize}), got ${shards.length}`));
        return run(lr, shards);
      },
      parameters() {
        return new Map(layout.entries.map((e) => [e.name, { shape: e.shape, values: paramView.slice(e.offset, e.offset + e.size) }]));
      },
      moments() {
        return new Map(
          layout.entries.map((e) => {
            const m = new Float32Array(e.size);
            const v = new Float32Array(e.size);
            eachOwnedPiece(e.offset, e.size, (owner, from, to) => {
              m.set(owner.m.subarray(from - owner.start, to - owner.start), from - e.offset);
              v.set(owner.v.subarray(from - owner.start, to - owner.start), from - e.offset);
            });
            return [e.name, { shape: e.shape, m, v }];
          }),
        );
      },
      restore(state) {
        if (broken) throw broken;
        if (!Number.isInteger(state.steps) || state.steps < 0) throw new Error(`data-parallel: restore needs a step count ≥ 0, got ${state.steps}`);
        const check = (what: string, name: string, got: number, size: number) => {
          if (got !== size) throw new Error(`data-parallel: restore ${what} "${name}" has ${got} values, the parameter ${size}`);
        };
        for (const e of layout.entries) {
          const p = state.params?.get(e.name);
          const moments = state.moments?.get(e.name);
          if (state.params && !p) throw new Error(`data-parallel: restore has no parameter "${e.name}"`);
          if (state.moments && !moments) throw new Error(`data-parallel: restore has no moments for "${e.name}"`);
          if (p) {
            check('parameter', e.name, p.values.length, e.size);
            paramView.set(p.values, e.offset);
          }
          if (moments) {
            check('first moment of', e.name, moments.m.length, e.size);
            check('second moment of', e.name, moments.v.length, e.size);
            eachOwnedPiece(e.offset, e.size, (owner, from, to) => {
              owner.m.set(moments.m.subarray(from - e.offset, to - e.offset), from - owner.start);
              owner.v.set(moments.v.subarray(from - e.offset, to - e.offset), from - owner.start);
            });
          }
        }
        t = state.steps;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
