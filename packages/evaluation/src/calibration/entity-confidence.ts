/**
 * Entity-level confidence for NER: each predicted entity (seqeval default mode) gets the mean and
 * the min of its tokens' top-label probabilities; an entity is "correct" when the same
 * (sentence, type, start, end) is a gold entity. Calibration of those confidences is reported
 * separately from the token-level calibration.
 */
import { getEntities } from '../metrics/ner/entities.ts';
import { entityKey } from '../metrics/ner/ner-metrics.ts';
import { calibrationMetrics, DEFAULT_BINS, type CalibrationMetrics } from './reliability.ts';

export interface ScoredEntity {
  sentence: number;
  type: string;
  start: number;
  end: number;
  meanConfidence: number;
  minConfidence: number;
  correct: boolean;
}

export function scoreEntityConfidence(
  gold: readonly (readonly string[])[],
  pred: readonly (readonly string[])[],
  confidences: readonly (readonly number[])[],
): ScoredEntity[] {
  const goldKeys = new Set(getEntities(gold).map(entityKey));
  return getEntities(pred).map((entity) => {
    const span = confidences[entity.sentence]!.slice(entity.start, entity.end + 1);
    return {
      ...entity,
      meanConfidence: span.reduce((a, b) => a + b, 0) / span.length,
      minConfidence: Math.min(...span),
      correct: goldKeys.has(entityKey(entity)),
    };
  });
}

export interface EntityCalibration {
  /** Entity confidence = mean token probability over the span. */
  mean: CalibrationMetrics;
  /** Entity confidence = min token probability over the span. */
  min: CalibrationMetrics;
}

export function entityCalibration(entities: readonly ScoredEntity[], bins = DEFAULT_BINS): EntityCalibration {
  const correct = entities.map((e) => e.correct);
  return {
    mean: calibrationMetrics(entities.map((e) => e.meanConfidence), correct, bins),
    min: calibrationMetrics(entities.map((e) => e.minConfidence), correct, bins),
  };
}
