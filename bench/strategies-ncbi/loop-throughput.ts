/**
 * Throughput of TuneKit's training loop (packages/training trainLoop: batching, variableGrads,
 * clipping, AdamW, logging) on the same shapes as `npm run bench:train -- --preset tiny`, to compare
 * the loop with compute's bare training step in the same session.
 *   node --import tsx bench/strategies-ncbi/loop-throughput.ts [--strategy full|lora|adapter|partial] [--steps 8]
 * Prints one JSON line: tokens_per_s (median of steps after 2 warm-up steps), ms_per_step, backend.
 */
import { selectBackend } from '@tunekit/compute';
import { createModel } from '@tunekit/model-loader';
import { applyStrategy } from '@tunekit/strategies';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainLoop, type TrainTask } from '../../packages/training/src/index.ts';
import { maskedCrossEntropy } from '../../packages/training/src/loop/loss.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const strategy = arg('strategy', 'full');
const steps = Number(arg('steps', '8'));
const [batch, seq] = [16, 128];
const backend = await selectBackend();
const model = createModel(
  { model_type: 'bert', vocab_size: 30522, hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 512, hidden_act: 'gelu', max_position_embeddings: 512, type_vocab_size: 2, layer_norm_eps: 1e-12, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1 },
  'token-classification',
  1,
  { labels: ['O', 'B-Disease', 'I-Disease'] },
);
applyStrategy(model, strategy, strategy === 'lora' ? { r: 8, target_modules: ['query', 'value'] } : {}, { seed: 1 });
const rows = batch * steps;
const inputIds = Int32Array.from({ length: rows * seq }, (_, i) => 1000 + ((i * 7919) % 29000));
const labels = Int32Array.from({ length: rows * seq }, (_, i) => i % 3);
const task: TrainTask = {
  rows: { numRows: rows, seqLen: seq, inputIds, attentionMask: new Int32Array(rows * seq).fill(1), tokenTypeIds: new Int32Array(rows * seq), labels, labelsPerToken: true },
  loss: (m, b, seed) => maskedCrossEntropy(m.forward({ inputIds: b.inputIds, attentionMask: b.attentionMask, tokenTypeIds: b.tokenTypeIds }, { training: true, seed }).logits!, b.labels!),
};
const perStep: number[] = [];
await trainLoop(
  model,
  task,
  { seed: 1, batchSize: batch, gradientAccumulationSteps: 1, epochs: 1, maxSteps: 0, learningRate: 1e-4, schedule: 'linear', warmupSteps: 0, warmupRatio: 0, weightDecay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, maxGradNorm: 1, evaluation: 'no', evalSteps: 0, metric: 'eval_f1', metricMode: 'max', patience: 0, threshold: 0, keepBest: false, checkpointSteps: 0, groupByLength: false, loggingSteps: 1 },
  await mkdtemp(join(tmpdir(), 'loop-bench-')),
  'bench',
  { onStepMetrics: (_s, m) => perStep.push(m.tokens_per_s!) },
);
const measured = perStep.slice(2).sort((a, b) => a - b);
const median = measured[Math.floor(measured.length / 2)]!;
console.log(JSON.stringify({ strategy, batch, seq, steps, tokens_per_s: Math.round(median), ms_per_step: Math.round((1000 * batch * seq) / median), backend: backend.backend, threads: backend.threads }));
