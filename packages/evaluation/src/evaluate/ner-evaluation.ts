/**
 * Everything `metrics.json` holds for NER predictions: entity P/R/F1 (seqeval default + strict
 * IOB2), per type, token accuracy, the tag-level confusion matrix and, when confidences are
 * present, token-level and entity-level calibration.
 */
import { entityCalibration, scoreEntityConfidence } from '../calibration/entity-confidence.ts';
import { calibrationMetrics, DEFAULT_BINS } from '../calibration/reliability.ts';
import type { MetricsFile } from '../metrics-file/schema.ts';
import { nerMetrics } from '../metrics/ner/index.ts';
import type { NerPredictionSentence } from '../predictions/ner-predictions.ts';

export type NerEvaluation = Pick<MetricsFile, 'metrics' | 'per_type' | 'confusion' | 'calibration'>;

/** Tag order for the confusion matrix: O first, then by type, B before I. */
export function tagOrder(tags: Iterable<string>): string[] {
  const rank = (tag: string) => (tag === 'O' ? '' : `${tag.slice(2)}\u0000${tag[0]}`);
  return [...new Set(tags)].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
}

export function evaluateNerPredictions(sentences: readonly NerPredictionSentence[], options: { bins?: number; labels?: string[] } = {}): NerEvaluation {
  const bins = options.bins ?? DEFAULT_BINS;
  const gold = sentences.map((s) => s.gold);
  const pred = sentences.map((s) => s.pred);
  const m = nerMetrics(gold, pred);
  const metrics: MetricsFile['metrics'] = {
    f1: m.default.micro.f1,
    precision: m.default.micro.precision,
    recall: m.default.micro.recall,
    f1_strict: m.strict?.micro.f1 ?? null,
    precision_strict: m.strict?.micro.precision ?? null,
    recall_strict: m.strict?.micro.recall ?? null,
    macro_f1: m.default.macro.f1,
    weighted_f1: m.default.weighted.f1,
    token_accuracy: m.tokenAccuracy,
    sentences: m.sentences,
    tokens: m.tokens,
  };
  const per_type: NonNullable<MetricsFile['per_type']> = {};
  for (const [type, r] of Object.entries(m.default.perLabel)) per_type[type] = { precision: r.precision, recall: r.recall, f1: r.f1, support: r.support };

  const labels = tagOrder([...(options.labels ?? []), ...gold.flat(), ...pred.flat()]);
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  gold.forEach((tags, i) => tags.forEach((g, j) => (matrix[index.get(g)!]![index.get(pred[i]![j]!)!]! += 1)));

  const result: NerEvaluation = { metrics, per_type, confusion: { labels, matrix } };
  if (sentences.length > 0 && sentences.every((s) => s.confidence)) {
    const confidences = sentences.map((s) => s.confidence!);
    const token = calibrationMetrics(confidences.flat(), gold.flatMap((tags, i) => tags.map((g, j) => g === pred[i]![j])), bins);
    const entity = entityCalibration(scoreEntityConfidence(gold, pred, confidences), bins);
    result.calibration = { token, entity_mean: entity.mean, entity_min: entity.min };
    metrics.ece = token.ece;
    metrics.mce = token.mce;
    metrics.brier = token.brier;
    metrics.entity_ece_mean = entity.mean.ece;
    metrics.entity_ece_min = entity.min.ece;
  }
  return result;
}
