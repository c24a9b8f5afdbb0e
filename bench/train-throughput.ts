/**
 * Training-throughput benchmark: one BERT token-classification training step (forward with dropout
 * 0.1, cross-entropy over all tokens, backward, global-norm clipping at 1.0, AdamW with weight decay
 * 0.01 and a linear schedule), on synthetic data, the same work as ../shared/reference-bench.
 * Prints progress on stderr and one JSON object as the last line of stdout.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, clipByGlobalNorm, hfNoDecay, fastKernelsRegistered, selectBackend } from '@tunekit/compute';
import { PRESETS, parseArgs } from './train-throughput/args.ts';
import { createBenchModel } from './train-throughput/bert-model.ts';

const LABELS = 9;
const VOCAB = 30522;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // TUNEKIT_FAST_KERNELS=0 measures plain tfjs-backend-wasm (the 'before' numbers).
  const selected = await selectBackend({ fastKernels: process.env.TUNEKIT_FAST_KERNELS !== '0' });
  const preset = PRESETS[args.preset];
  const model = await createBenchModel({ ...preset, vocab: VOCAB, labels: LABELS }, args.strategy);
  const vars = [...model.trainable.values()];

  const batches = Array.from({ length: 4 }, (_, i) => ({
    ids: tf.randomUniform([args.batch, args.seq], 5, VOCAB, 'int32', 100 + i) as tf.Tensor2D,
    labels: tf.randomUniform([args.batch, args.seq], 0, LABELS, 'int32', 200 + i) as tf.Tensor2D,
    mask: tf.ones([args.batch, args.seq], 'int32') as tf.Tensor2D,
  }));
  // variableGrads keys gradients by tf.Variable name; AdamW decays by HF name (not biases/LayerNorm).
  const hfName = new Map([...model.trainable].map(([name, v]) => [v.name, name]));
  const byVariable = new Map(vars.map((v) => [v.name, v]));
  const optimizer = new AdamW(byVariable, { lr: args.strategy === 'lora' ? 2e-4 : 5e-5, weightDecay: 0.01, noDecay: (key) => hfNoDecay(hfName.get(key)!) });
  const total = args.warmup + args.steps;
  const times: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const trainStep = (step: number) => {
    const batch = batches[step % batches.length];
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const logits = model.logits(batch.ids, batch.mask, step);
        const flat = tf.reshape(logits, [-1, LABELS]);
        const logProbs = tf.logSoftmax(flat);
        const picked = tf.mul(logProbs, tf.oneHot(tf.reshape(batch.labels, [-1]), LABELS));
        return tf.neg(tf.div(tf.sum(picked), flat.shape[0])) as tf.Scalar;
      }, vars);
      const clipped = clipByGlobalNorm(grads, 1.0);
      optimizer.step(clipped, optimizer.hyper.lr * Math.max(0, 1 - step / (total + 1)));
      return value;
    });
  };
  if (process.env.TUNEKIT_PROFILE === '1') await profileStep(() => trainStep(0));
  for (let step = 0; step < total; step++) {
    const start = performance.now();
    const loss = trainStep(step);
    const lossValue = (await loss.data())[0];
    loss.dispose();
    const ms = performance.now() - start;
    times.push(ms);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    process.stderr.write(`step ${step} loss ${lossValue.toFixed(4)} ${ms.toFixed(1)} ms${step < args.warmup ? ' (warm-up)' : ''}\n`);
  }
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
    backend: selected.backend,
    threads: selected.threads,
    model: model.name,
    fast_kernels: fastKernelsRegistered(),
  };
  console.log(JSON.stringify(result));
}

/** TUNEKIT_PROFILE=1: time per kernel name over one step, on stderr. */
async function profileStep(run: () => tf.Tensor): Promise<void> {
  const info = await tf.profile(() => run());
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    const ms = await k.kernelTimeMs;
    entry.ms += typeof ms === 'number' ? ms : 0;
    entry.calls++;
    byKernel.set(k.name, entry);
  }
  const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
  const totalMs = rows.reduce((a, [, e]) => a + e.ms, 0);
  process.stderr.write(`kernel time ${totalMs.toFixed(0)} ms\n`);
  for (const [name, e] of rows.slice(0, 25)) process.stderr.write(`${name.padEnd(24)} ${e.ms.toFixed(1).padStart(8)} ms  ${String(e.calls).padStart(5)} calls\n`);
}

main().then(
  // wasm pthread workers (TUNEKIT_WASM_THREADS > 1) keep the event loop alive: exit explicitly.
  () => process.exit(0),
  (error: unknown) => {
    console.error((error as Error).stack ?? error);
    process.exit(1);
  },
);
