/**
 * Training-throughput benchmark: one BERT token-classification training step (forward with dropout
 * 0.1, cross-entropy over all tokens, backward, global-norm clipping at 1.0, AdamW with weight decay
 * 0.01 and a linear schedule), on synthetic data, the same work as ../shared/reference-bench.
 * Prints progress on stderr and one JSON object as the last line of stdout.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, clipByGlobalNorm, hfNoDecay, fastKernelsRegistered, runtimeFingerprint, selectBackend, startDataParallel } from '@tunekit/compute';
import { PRESETS, parseArgs, type BenchArgs } from './train-throughput/args.ts';
import { LABELS, VOCAB, syntheticBatches, tokenLoss } from './train-throughput/batch.ts';
import { createBenchModel } from './train-throughput/bert-model.ts';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const run = args.workers > 1 ? await dataParallelRun(args) : await singleProcessRun(args);
  const total = args.warmup + args.steps;
  const times: number[] = [];
  let peakRss = process.memoryUsage().rss;
  for (let step = 0; step < total; step++) {
    const start = performance.now();
    const lossValue = await run.step(step, args.lr * Math.max(0, 1 - step / (total + 1)));
    const ms = performance.now() - start;
    times.push(ms);
    // Worker threads live in this process: its RSS covers every replica.
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    process.stderr.write(`step ${step} loss ${lossValue.toFixed(4)} ${ms.toFixed(1)} ms${step < args.warmup ? ' (warm-up)' : ''}\n`);
  }
  await run.close();
  const measured = times.slice(args.warmup).sort((a, b) => a - b);
  const median = measured[Math.floor(measured.length / 2)];
  const result = {
    preset: args.preset,
    strategy: args.strategy,
    batch: args.batch,
    seq: args.seq,
    steps: measured.length,
    tokens_per_s: Math.round((args.batch * args.seq) / (median / 1000)),
    ms_per_step: Number(median.toFixed(1)),
    peak_rss_mb: Math.round(peakRss / 2 ** 20),
    backend: run.backend,
    threads: run.threads,
    workers: args.workers,
    model: run.model,
    fast_kernels: run.fastKernels,
    gemm: run.gemm,
  };
  console.log(JSON.stringify(result));
}

interface BenchRun {
  step(step: number, lr: number): Promise<number>;
  close(): Promise<void>;
  backend: string;
  threads: number;
  model: string;
  fastKernels: boolean;
  /** The wasm matMul engine (`openblas 0.3.21 SkylakeX`, `xnnpack`), or null off wasm / without fast kernels. */
  gemm: string | null;
}

/** The whole batch in this process (wasm threads, and OpenBLAS threads with them: TUNEKIT_WASM_THREADS). */
async function singleProcessRun(args: BenchArgs): Promise<BenchRun> {
  // TUNEKIT_FAST_KERNELS=0 measures plain tfjs-backend-wasm (the 'before' numbers).
  const selected = await selectBackend({ fastKernels: process.env.TUNEKIT_FAST_KERNELS !== '0' });
  const model = await createBenchModel({ ...PRESETS[args.preset], vocab: VOCAB, labels: LABELS }, args.strategy);
  const vars = [...model.trainable.values()];
  const batches = syntheticBatches(args.batch, args.seq);
  // variableGrads keys gradients by tf.Variable name; AdamW decays by HF name (not biases/LayerNorm).
  const hfName = new Map([...model.trainable].map(([name, v]) => [v.name, name]));
  const byVariable = new Map(vars.map((v) => [v.name, v]));
  const optimizer = new AdamW(byVariable, { lr: args.lr, weightDecay: 0.01, noDecay: (key) => hfNoDecay(hfName.get(key)!) });
  const trainStep = (step: number, lr: number) =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tokenLoss(model, batches[step % batches.length], step, args.batch * args.seq), vars);
      optimizer.step(clipByGlobalNorm(grads, 1.0), lr);
      return value;
    });
  if (process.env.TUNEKIT_PROFILE === '1') {
    // Profile a step after warm-up: the first steps also pack XNNPACK weights and grow the heap.
    for (let step = 0; step < args.warmup; step++) tf.dispose(trainStep(step, args.lr));
    await profileStep(() => trainStep(args.warmup, args.lr));
  }
  return {
    async step(step, lr) {
      const loss = trainStep(step, lr);
      const value = (await loss.data())[0];
      loss.dispose();
      return value;
    },
    close: async () => undefined,
    backend: selected.backend,
    threads: selected.threads,
    model: model.name,
    fastKernels: fastKernelsRegistered(),
    gemm: selected.gemm ?? null,
  };
}

/** `--workers N`: N replicas in worker threads, each on B/N rows, gradients summed (one XNNPACK thread each). */
async function dataParallelRun(args: BenchArgs): Promise<BenchRun> {
  if (process.env.TUNEKIT_PROFILE === '1') process.stderr.write('TUNEKIT_PROFILE profiles the single-process step: add --workers 1 (per-phase times here: TUNEKIT_DP_TRACE=1)\n');
  const dp = await startDataParallel({
    module: new URL('./train-throughput/replica.ts', import.meta.url),
    workers: args.workers,
    options: args,
    optimizer: { lr: args.lr, weightDecay: 0.01, maxGradNorm: 1.0 },
  });
  return {
    step: (_step, lr) => dp.step(lr),
    close: () => dp.close(),
    backend: dp.backend,
    threads: args.workers,
    model: '@tunekit/model-loader BertForTokenClassification (data-parallel)',
    fastKernels: dp.backend === 'wasm',
    gemm: dp.backend === 'wasm' ? (runtimeFingerprint().gemm ?? null) : null, // the workers choose from the same environment
  };
}

/** TUNEKIT_PROFILE=1: time per kernel name (per operand shapes for BatchMatMul) over one step after warm-up, on stderr. */
async function profileStep(run: () => tf.Tensor): Promise<void> {
  const info = await tf.profile(() => run());
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    // BatchMatMul is most of the step: one row per operand-shape pair.
    const key = k.name === 'BatchMatMul' ? `${k.name} ${k.inputShapes.map((s) => s.join('x')).join(' · ')}` : k.name;
    const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
    const ms = await k.kernelTimeMs;
    entry.ms += typeof ms === 'number' ? ms : 0;
    entry.calls++;
    byKernel.set(key, entry);
  }
  const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
  const totalMs = rows.reduce((a, [, e]) => a + e.ms, 0);
  process.stderr.write(`kernel time ${totalMs.toFixed(0)} ms\n`);
  for (const [name, e] of rows.slice(0, 40)) process.stderr.write(`${name.padEnd(44)} ${e.ms.toFixed(1).padStart(8)} ms  ${String(e.calls).padStart(5)} calls\n`);
}

main().then(
  // wasm pthread workers (TUNEKIT_WASM_THREADS > 1) keep the event loop alive: exit explicitly.
  () => process.exit(0),
  (error: unknown) => {
    console.error((error as Error).stack ?? error);
    process.exit(1);
  },
);
