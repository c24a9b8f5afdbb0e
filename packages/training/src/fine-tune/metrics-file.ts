/**
 * `metrics.json` of `training/fine-tune`, in the evaluation package's shared metrics-file shape
 * (packages/evaluation/src/metrics-file/schema.ts: kind `fine-tune`, flat `metrics`, `history` of
 * numbers with val_* keys) so `evaluation/report` shows training curves next to the evaluations;
 * TuneKit-specific details go under `training`.
 */
import type { EvaluationRecord, LoopResult } from '../loop/train-loop.ts';

export interface FineTuneSummaryInput {
  task: 'token-classification' | 'sequence-classification';
  labels: string[];
  strategy: { name: string; config: unknown; trainable: number; total: number; percent: number };
  metric: string;
  split: string;
  backend: string;
  result: LoopResult;
}

const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : undefined);

export function historyPoint(record: EvaluationRecord): Record<string, number> {
  const point: Record<string, number | undefined> = {
    epoch: record.epoch,
    step: record.step,
    train_loss: finite(record.train_loss),
    val_loss: finite(record.eval_loss),
    val_f1: finite(record.eval_f1),
    val_accuracy: finite(record.eval_accuracy),
  };
  return Object.fromEntries(Object.entries(point).filter(([, v]) => v !== undefined)) as Record<string, number>;
}

export function fineTuneMetricsFile(input: FineTuneSummaryInput): Record<string, unknown> {
  const { result } = input;
  const history = result.state.history;
  const bestStep = result.state.early.bestStep;
  const best = history.find((h) => h.step === bestStep) ?? history.at(-1);
  const ner = input.task === 'token-classification';
  const scores: Record<string, number | null> = best
    ? ner
      ? { f1: best.eval_f1 ?? null, precision: best.eval_precision ?? null, recall: best.eval_recall ?? null, token_accuracy: best.eval_accuracy ?? null, loss: best.eval_loss ?? null }
      : { macro_f1: best.eval_f1 ?? null, f1: best.eval_micro_f1 ?? null, accuracy: best.eval_accuracy ?? null, loss: best.eval_loss ?? null }
    : {};
  return {
    schemaVersion: 1,
    kind: 'fine-tune',
    name: input.strategy.name,
    task: input.task,
    strategy: input.strategy.name,
    split: input.split,
    metrics: {
      ...scores,
      trainable_params: input.strategy.trainable,
      total_params: input.strategy.total,
      trainable_percent: input.strategy.percent,
      steps: result.state.step,
      best_step: bestStep,
    },
    history: history.map(historyPoint),
    training: {
      labels: input.labels,
      metric: input.metric,
      best_value: result.state.early.bestValue,
      stopped_early: result.state.stopped,
      total_steps: result.totalSteps,
      backend: input.backend,
      strategy_config: input.strategy.config,
      evaluations: history,
    },
  };
}
