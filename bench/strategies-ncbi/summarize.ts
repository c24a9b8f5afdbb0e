/**
 * Table of the strategies-ncbi run: reads the last line of `tunekit run --json` (stdin or a file)
 * and each `train[strategy=…]` cell's metrics.json. Since training/fine-tune v2, tokens/s is logged to
 * tracking (mlruns) rather than written to metrics.json (artifacts must be a function of the inputs).
 *   npx tunekit run bench/strategies-ncbi/pipeline.yaml --json > run.json
 *   node --import tsx bench/strategies-ncbi/summarize.ts run.json
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const text = readFileSync(process.argv[2] ?? 0, 'utf8').trim().split('\n').at(-1)!;
const run = JSON.parse(text) as { runId: string; stages: Record<string, { status: string; seconds: number; outputs: Record<string, { path: string }> }> };
const rows = ['| strategy | trainable params | trainable % | tokens/s (whole loop, evaluations included) | stage wall time | best validation entity F1 (epoch) | P / R at best |', '|---|---|---|---|---|---|---|'];
for (const [id, stage] of Object.entries(run.stages)) {
  const match = /^train\[strategy=(.+)\]$/.exec(id);
  if (!match || !stage.outputs.metrics) continue;
  const m = JSON.parse(readFileSync(join(stage.outputs.metrics.path, 'metrics.json'), 'utf8'));
  const best = m.history.find((h: { step: number }) => h.step === m.metrics.best_step);
  rows.push(
    `| ${match[1]} | ${m.metrics.trainable_params.toLocaleString('en-US')} / ${m.metrics.total_params.toLocaleString('en-US')} | ${m.metrics.trainable_percent.toFixed(2)} | ${m.metrics.tokens_per_s === undefined ? 'in tracking' : Math.round(m.metrics.tokens_per_s).toLocaleString('en-US')} | ${stage.seconds.toFixed(0)} s (${stage.status}) | ${(100 * m.metrics.f1).toFixed(1)} (${best?.epoch ?? '?'}) | ${(100 * m.metrics.precision).toFixed(1)} / ${(100 * m.metrics.recall).toFixed(1)} |`,
  );
}
const pretrain = run.stages.pretrain;
if (pretrain?.outputs.metrics) {
  const p = JSON.parse(readFileSync(join(pretrain.outputs.metrics.path, 'metrics.json'), 'utf8'));
  rows.push('', `pretrain-mlm: ${p.steps} steps, held-out MLM loss ${p.held_out_mlm_loss.toFixed(3)}, ${pretrain.seconds.toFixed(0)} s (${pretrain.status}), backend ${p.backend}`);
}
console.log(`run ${run.runId}\n\n${rows.join('\n')}`);
