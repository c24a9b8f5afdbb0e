/**
 * One data-parallel replica in a worker thread; `startDataParallel` sends one 'step' message per
 * optimizer step, whose phases the replicas synchronise among themselves (barrier.ts):
 *   grads  — load the current parameters from the shared buffer, forward + backward of this shard,
 *            write the gradients into this rank's slot of the shared gradient buffer;
 *   reduce — sum every rank's gradients over the element range this rank owns (+ sum of squares);
 *   update — clip scale from the global norm, AdamW over the owned range, in place in the shared
 *            parameter buffer (plain memory, not a tfjs tensor: the XNNPACK weight cache is not involved).
 * The optimizer state (m, v) of each owned element lives only in its owner's region of the shared
 * memory (memory.ts). Sum (two workers) and AdamW are WebAssembly SIMD loops (simd/kernels.wat).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../backend/select.ts';
import { arriveAndWait, CONTROL_INTS } from './barrier.ts';
import { hfNoDecay } from '../optim/adamw.ts';
import { buildLayout, ownedRange, segmentsIn, type ParamLayout } from './layout.ts';
import type { SharedLayout } from './memory.ts';
import type { FromWorker, OptimizerConfig, ToWorker, WorkerInit } from './protocol.ts';
import { adamwSimd, simdKernels, type SimdKernels } from './simd/kernels.ts';
import { copyOut, tensorFrom } from './transfer.ts';
import type { CreateReplica, Replica } from './replica.ts';

const init = workerData as WorkerInit;
const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);
/** TUNEKIT_DP_TRACE=1: per-phase wall time of each replica on stderr. */
const trace = process.env.TUNEKIT_DP_TRACE === '1';
const timed = <T>(phase: string, run: () => T): T => {
  if (!trace) return run();
  const start = performance.now();
  const result = run();
  process.stderr.write(`replica ${init.rank} ${phase} ${(performance.now() - start).toFixed(1)} ms\n`);
  return result;
};

interface State {
  replica: Replica;
  layout: ParamLayout;
  /** Owned element range. */
  start: number;
  end: number;
  shared?: Shared;
}

/** Views of the shared memory (set by the 'buffers' message). */
interface Shared {
  layout: SharedLayout;
  kernels: SimdKernels;
  grads: Float32Array[];
  params: Float32Array;
  summed: Float32Array;
  control: Int32Array;
  sumSquares: Float64Array;
  optimizer: OptimizerConfig;
}

async function setUp(): Promise<State> {
  // One XNNPACK thread per replica: the replicas are the parallelism.
  const selected = await selectBackend({ wasmThreads: 1 });
  const module = (await import(init.moduleUrl)) as { createReplica?: CreateReplica };
  if (typeof module.createReplica !== 'function') throw new Error(`${init.moduleUrl} does not export createReplica(context)`);
  const replica = await module.createReplica({ rank: init.rank, worldSize: init.worldSize, options: init.options });
  const layout = buildLayout([...replica.params].map(([name, v]) => ({ name, shape: v.shape })));
  const { start, end } = ownedRange(layout.total, init.rank, init.worldSize);
  send({ type: 'ready', layout, backend: selected.backend });
  return { replica, layout, start, end };
}

function attach(s: State, memory: WebAssembly.Memory, layout: SharedLayout, optimizer: OptimizerConfig): Shared {
  const total = s.layout.total;
  return {
    layout,
    kernels: simdKernels(memory),
    grads: layout.grads.map((offset) => new Float32Array(memory.buffer, offset, total)),
    params: new Float32Array(memory.buffer, layout.params, total),
    summed: new Float32Array(memory.buffer, layout.ranks[init.rank].summed, s.end - s.start),
    control: new Int32Array(memory.buffer, layout.control, CONTROL_INTS),
    sumSquares: new Float64Array(memory.buffer, layout.sumSquares, init.worldSize),
    optimizer,
  };
}

/** Owners publish their slice of the initial parameters. */
function publish(s: State): void {
  for (const seg of segmentsIn(s.layout, s.start, s.end)) {
    const values = s.replica.params.get(seg.entry.name)!.dataSync() as Float32Array;
    s.shared!.params.set(values.subarray(seg.start - seg.entry.offset, seg.end - seg.entry.offset), seg.start);
  }
}

function loadParams(s: State): void {
  for (const e of s.layout.entries) {
    const variable = s.replica.params.get(e.name)!;
    const value = tensorFrom(s.shared!.params.subarray(e.offset, e.offset + e.size), e.shape);
    variable.assign(value);
    value.dispose();
  }
}

function computeGrads(s: State, step: number, data: unknown): number {
  timed('load', () => loadParams(s));
  const slot = s.shared!.grads[init.rank];
  const { loss, grads } = timed('forward+backward', () => s.replica.lossAndGrads(step, data));
  try {
    timed('write', () => {
      for (const e of s.layout.entries) {
        const g = grads.get(e.name);
        if (!g) throw new Error(`replica ${init.rank}: no gradient for parameter "${e.name}"`);
        copyOut(g, slot, e.offset);
      }
    });
    return loss.dataSync()[0];
  } finally {
    tf.dispose([loss, ...grads.values()]);
  }
}

/**
 * One optimizer step: gradients of this shard → barrier → reduce the owned range → barrier → global
 * norm (every rank sums the same per-rank values in the same order: the same clip factor everywhere)
 * → AdamW on the owned range. The main thread's next 'step' message is the barrier before the next load.
 */
function step(s: State, index: number, lr: number, data: unknown): { loss: number; gradNorm: number } {
  const { control, sumSquares, optimizer } = s.shared!;
  const loss = computeGrads(s, index, data);
  timed('wait (gradients)', () => arriveAndWait(control, init.worldSize));
  sumSquares[init.rank] = timed('reduce', () => reduce(s));
  timed('wait (norms)', () => arriveAndWait(control, init.worldSize));
  let total = 0;
  for (let r = 0; r < init.worldSize; r++) total += sumSquares[r];
  const clip = optimizer.maxGradNorm > 0 && Number.isFinite(optimizer.maxGradNorm) ? optimizer.maxGradNorm / (Math.sqrt(total) + 1e-6) : 1;
  timed('update', () => update(s, Math.min(1, clip), lr, index + 1));
  return { loss, gradNorm: Math.sqrt(total) };
}

function reduce(s: State): number {
  const { grads, summed, kernels, layout } = s.shared!;
  if (grads.length === 2) {
    const offset = s.start * 4;
    return kernels.sumPair(layout.grads[0] + offset, layout.grads[1] + offset, layout.ranks[init.rank].summed, summed.length);
  }
  return sumAll(grads.map((slot) => slot.subarray(s.start, s.end)), summed);
}

function sumAll(slots: Float32Array[], out: Float32Array): number {
  out.set(slots[0]);
  for (const slot of slots.slice(1)) for (let i = 0; i < out.length; i++) out[i] += slot[i];
  let sumSquares = 0;
  for (let i = 0; i < out.length; i++) sumSquares += out[i] * out[i];
  return sumSquares;
}

function update(s: State, scale: number, lr: number, t: number): void {
  const { kernels, layout, optimizer: o } = s.shared!;
  const mine = layout.ranks[init.rank];
  const noDecay = s.replica.noDecay ?? hfNoDecay;
  for (const seg of segmentsIn(s.layout, s.start, s.end)) {
    const local = (seg.start - s.start) * 4;
    const weightDecay = noDecay(seg.entry.name) ? 0 : o.weightDecay;
    adamwSimd(kernels, layout.params + seg.start * 4, mine.summed + local, mine.m + local, mine.v + local, seg.end - seg.start, scale, { lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay, t });
  }
}

const reportError = (error: unknown) => send({ type: 'error', message: (error as Error).message ?? String(error), stack: (error as Error).stack });
const ready = setUp();
ready.catch(reportError);
port.on('message', (message: ToWorker) => {
  ready
    .then((s) => {
      switch (message.type) {
        case 'buffers':
          s.shared = attach(s, message.memory, message.shared, message.optimizer);
          publish(s);
          return send({ type: 'published' });
        case 'step':
          return send({ type: 'stepped', ...step(s, message.step, message.lr, message.data) });
      }
    })
    .catch(reportError);
});
