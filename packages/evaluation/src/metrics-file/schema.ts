/**
 * `metrics.json`: the file inside every `metrics` artifact (next to `manifest.json` with
 * `{"kind": "metrics", "schemaVersion": 1}`). Training, evaluation, baseline, calibration and
 * forgetting stages all write this shape so that `evaluation/report` can put them side by side.
 * Only `schemaVersion`, `kind`, `name`, `task` and `metrics` are required. Documented field by
 * field in packages/evaluation/README.md ("metrics.json").
 */
import type { CalibrationMetrics } from '../calibration/reliability.ts';

export const METRICS_FILE = 'metrics.json';
export const METRICS_SCHEMA_VERSION = 1;

/**
 * The role of an entry in the report. `cross-domain`: a fine-tuned model scored on another corpus
 * (the report's domain-shift table puts it next to the `fine-tune` entry of the same name).
 */
export type MetricsKind = 'fine-tune' | 'baseline' | 'few-shot' | 'calibration' | 'forgetting' | 'cross-domain';
export const METRICS_KINDS: readonly MetricsKind[] = ['fine-tune', 'baseline', 'few-shot', 'calibration', 'forgetting', 'cross-domain'];

export type MetricsTask = 'token-classification' | 'sequence-classification' | 'masked-lm';
export const METRICS_TASKS: readonly MetricsTask[] = ['token-classification', 'sequence-classification', 'masked-lm'];

export interface TypeScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** One evaluation during training (per epoch or every N steps). */
export interface HistoryPoint {
  epoch?: number;
  step?: number;
  train_loss?: number;
  val_loss?: number;
  /** Validation entity F1 (NER, seqeval default) or macro F1 / accuracy (classification). */
  val_f1?: number;
  val_accuracy?: number;
  learning_rate?: number;
}

/** Calibration without the per-sample data: the summary numbers plus the reliability bins. */
export type CalibrationSummary = CalibrationMetrics;

export interface MetricsFile {
  schemaVersion: 1;
  kind: MetricsKind;
  /** Display name; entries with the same name are merged in the report (e.g. training + evaluation of `lora`). */
  name: string;
  task: MetricsTask;
  /** Fine-tuning strategy (full, partial, adapter, lora) when there is one. */
  strategy?: string;
  /** Split the numbers were computed on (e.g. `test`, `validation`). */
  split?: string;
  /** Few-shot: examples (sentences) per entity type / class. */
  k?: number;
  /** NER: the entity types scored when restricted (every other type was mapped to O). */
  entity_types?: string[];
  /** Display name of the scored dataset (e.g. `BC5CDR devel`). */
  dataset?: string;
  /**
   * Flat scalars. Conventional keys: f1, precision, recall (entity micro, seqeval default), f1_strict,
   * macro_f1, token_accuracy, accuracy, loss, ece, mce, brier, trainable_params, total_params,
   * trainable_percent, train_seconds, tokens_per_s. Unknown keys are kept and shown.
   */
  metrics: Record<string, number | null>;
  per_type?: Record<string, TypeScore>;
  /** Rows = gold, columns = predicted. */
  confusion?: { labels: string[]; matrix: number[][] };
  calibration?: {
    /** Token-level (NER) or example-level (classification) top-label calibration. */
    token?: CalibrationSummary;
    /** NER: entity confidence = mean / min token probability of the predicted span. */
    entity_mean?: CalibrationSummary;
    entity_min?: CalibrationSummary;
    /** Temperature scaling: fitted T and the same calibration after scaling. */
    temperature?: number;
    after_temperature?: CalibrationSummary;
    /** NER: entity calibration (mean token probability) after scaling. */
    entity_mean_after_temperature?: CalibrationSummary;
  };
  history?: HistoryPoint[];
  /** Masked-LM loss of the encoder on general text before and after fine-tuning. */
  forgetting?: { corpus: string; metric: 'mlm_loss' | 'pseudo_perplexity'; before: number; after: number };
}
