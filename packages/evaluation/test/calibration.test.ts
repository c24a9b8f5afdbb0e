import { describe, expect, test } from '@jest/globals';
import {
  binIndex,
  calibrationMetrics,
  entityCalibration,
  fitTemperature,
  meanNll,
  multiclassBrier,
  scoreEntityConfidence,
  softmaxRows,
  topLabel,
} from '../src/calibration/index.ts';

describe('ECE / MCE / Brier (15 equal-width bins, top label)', () => {
  test('confidence 0.8 with 8 of 10 correct is perfectly calibrated: ECE 0, Brier 0.16', () => {
    const m = calibrationMetrics(new Array(10).fill(0.8), [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(m.ece).toBeCloseTo(0, 12);
    expect(m.mce).toBeCloseTo(0, 12);
    expect(m.brier).toBeCloseTo(0.16, 12); // (8·0.2² + 2·0.8²) / 10
  });

  test('two bins: ECE = ½·|1 − 0.9| + ½·|0.25 − 0.65| = 0.25, MCE 0.4, Brier 0.17875', () => {
    const m = calibrationMetrics([0.9, 0.9, 0.9, 0.9, 0.65, 0.65, 0.65, 0.65], [1, 1, 1, 1, 1, 0, 0, 0]);
    expect(m.ece).toBeCloseTo(0.25, 12);
    expect(m.mce).toBeCloseTo(0.4, 12);
    expect(m.brier).toBeCloseTo((4 * 0.01 + 0.35 ** 2 + 3 * 0.65 ** 2) / 8, 12);
    expect(m.bins.filter((b) => b.count > 0).map((b) => [b.lower, b.count])).toEqual([
      [9 / 15, 4],
      [13 / 15, 4],
    ]);
  });

  test('bins are (lower, upper]: 0 goes to the first bin, 1 to the last, 0.5 to bin 7', () => {
    expect([binIndex(0, 15), binIndex(1, 15), binIndex(0.5, 15), binIndex(1 / 15, 15)]).toEqual([0, 14, 7, 0]);
  });

  test('a confidence outside [0, 1] is an error', () => {
    expect(() => calibrationMetrics([1.2], [1])).toThrow('confidence #0 is 1.2');
  });

  test('multi-class Brier sums the squared error over classes', () => {
    expect(multiclassBrier([0.7, 0.2, 0.1, 0.1, 0.1, 0.8], 3, [0, 1])).toBeCloseTo((0.09 + 0.04 + 0.01 + 0.01 + 0.81 + 0.64) / 2, 12);
  });
});

describe('mean loss (the `loss` of evaluation/ner and evaluation/classification)', () => {
  test('mean −log softmax(logits / T)[gold]: rows [0, 0] gold 0 and [ln 3, 0] gold 1 → (ln 2 + ln 4) / 2', () => {
    const logits = [0, 0, Math.log(3), 0];
    expect(meanNll(logits, 2, [0, 1])).toBeCloseTo(1.5 * Math.log(2), 12);
    // T = 2 halves the logits: p(gold 1 | [ln 3 / 2, 0]) = 1 / (1 + √3).
    expect(meanNll(logits, 2, [0, 1], 2)).toBeCloseTo((Math.log(2) + Math.log(1 + Math.sqrt(3))) / 2, 12);
  });
});

describe('temperature scaling', () => {
  // 100 rows with logits [4, 0]; 75 have gold 0. The NLL is minimal where σ(4/T) = 0.75,
  // i.e. T = 4 / ln 3 = 3.6409..., and the minimal NLL is the entropy H(0.75) = 0.562335...
  const logits = new Float32Array(200);
  for (let i = 0; i < 100; i++) logits[2 * i] = 4;
  const gold = Int32Array.from({ length: 100 }, (_, i) => (i < 75 ? 0 : 1));

  test('finds T = 4 / ln 3 within 1e-4', () => {
    expect(fitTemperature(logits, 2, gold).temperature).toBeCloseTo(4 / Math.log(3), 4);
  });

  test('NLL after equals the binary entropy H(0.75); before is larger', () => {
    const fit = fitTemperature(logits, 2, gold);
    expect(fit.nllAfter).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 8);
    expect(fit.nllBefore).toBeGreaterThan(fit.nllAfter);
  });

  test('scaled probabilities are calibrated: ECE falls from 0.232 to ~0', () => {
    const fit = fitTemperature(logits, 2, gold);
    const ece = (T: number) => {
      const { label, confidence } = topLabel(softmaxRows(logits, 2, T), 2);
      return calibrationMetrics(confidence, Array.from(label, (l, i) => l === gold[i])).ece;
    };
    expect(ece(1)).toBeCloseTo(1 / (1 + Math.exp(-4)) - 0.75, 6);
    expect(ece(fit.temperature)).toBeLessThan(1e-4);
  });
});

describe('entity-level confidence', () => {
  const gold = [['B-X', 'I-X', 'O', 'B-Y']];
  const pred = [['B-X', 'I-X', 'O', 'B-X']];
  const conf = [[0.9, 0.7, 0.99, 0.6]];

  test('each predicted entity gets mean and min token probability and correctness', () => {
    const entities = scoreEntityConfidence(gold, pred, conf);
    expect(entities.map((e) => [e.start, e.end, e.correct, e.minConfidence])).toEqual([
      [0, 1, true, 0.7],
      [3, 3, false, 0.6],
    ]);
    expect(entities[0]!.meanConfidence).toBeCloseTo(0.8, 12);
  });

  test('entity calibration is computed on those confidences: Brier over two entities', () => {
    const cal = entityCalibration(scoreEntityConfidence(gold, pred, conf));
    expect(cal.mean.brier).toBeCloseTo((0.2 ** 2 + 0.6 ** 2) / 2, 12);
    expect(cal.min.brier).toBeCloseTo((0.3 ** 2 + 0.6 ** 2) / 2, 12);
    expect(cal.mean.count).toBe(2);
  });
});
