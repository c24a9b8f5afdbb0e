import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@tunekit/compute';
import { createReplica } from './train-throughput/replica.ts';
await selectBackend({ wasmThreads: 1 });
const strategy = (process.argv[2] ?? 'full') as 'full' | 'lora';
const r = await createReplica({ rank: 0, worldSize: 1, options: { preset: 'tiny', strategy, batch: 8, seq: 128, steps: 1, warmup: 0, workers: 1, lr: 5e-5 } });
const ts: number[] = [];
for (let s = 0; s < 15; s++) {
  const t0 = performance.now();
  const { loss, grads } = r.lossAndGrads(s);
  for (const g of grads.values()) g.dataSync();
  ts.push(performance.now() - t0);
  tf.dispose([loss, ...grads.values()]);
}
console.log(ts.map((t) => t.toFixed(0)).join(' '));
