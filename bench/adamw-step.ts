/**
 * AdamW update time over a tiny-BERT-sized parameter set (30522×128 embedding + 2 layers ≈ 4.4M
 * floats in 40 tensors): the fused kernel vs the tfjs-ops reference, alternating in one process.
 *   node --import tsx bench/adamw-step.ts [--backend wasm|cpu] [--rounds 10]
 * Prints one JSON line: median ms per full update for each path.
 */
import * as tf from '@tensorflow/tfjs-core';
import { parseArgs } from 'node:util';
import { adamwStep, selectBackend } from '@tunekit/compute';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' }, rounds: { type: 'string', default: '10' } } });
await selectBackend({ env: { ...process.env, TUNEKIT_BACKEND: values.backend } });
const shapes: number[][] = [[30522, 128], [512, 128], [2, 128]];
for (let l = 0; l < 2; l++) shapes.push([128, 128], [128], [128, 128], [128], [128, 128], [128], [128, 128], [128], [128], [128], [512, 128], [512], [128, 512], [128], [128], [128]);
const params = shapes.map((s) => tf.variable(tf.randomNormal(s, 0, 0.02, 'float32', 1)));
const grads = shapes.map((s) => tf.randomNormal(s, 0, 0.01, 'float32', 2));
const slots = shapes.map((s) => ({ m: tf.variable(tf.zeros(s), false), v: tf.variable(tf.zeros(s), false) }));
const hyper = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };
const elements = shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);

function update(step: number): number {
  const start = performance.now();
  params.forEach((p, i) => adamwStep(p, grads[i]!, slots[i]!, step, hyper));
  params[0]!.dataSync();
  return performance.now() - start;
}
const times: Record<'fused' | 'reference', number[]> = { fused: [], reference: [] };
const rounds = Number(values.rounds);
for (let r = 0; r < rounds + 1; r++) {
  for (const path of ['reference', 'fused'] as const) {
    if (path === 'reference') process.env.TUNEKIT_REFERENCE_OPS = '1';
    else delete process.env.TUNEKIT_REFERENCE_OPS;
    const ms = update(r + 1);
    if (r > 0) times[path].push(ms); // round 0 is warm-up
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify({ backend: tf.getBackend(), elements, tensors: shapes.length, fused_ms: +median(times.fused).toFixed(1), reference_ms: +median(times.reference).toFixed(1) }));
