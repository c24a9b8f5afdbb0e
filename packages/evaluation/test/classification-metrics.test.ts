import { describe, expect, test } from '@jest/globals';
import { classificationMetrics } from '../src/metrics/classification/index.ts';

describe('classificationMetrics', () => {
  const labels = ['neg', 'pos'];
  const gold = ['pos', 'pos', 'neg', 'neg', 'pos'];
  const pred = ['pos', 'neg', 'neg', 'pos', 'pos'];

  test('confusion matrix has gold rows and predicted columns', () => {
    expect(classificationMetrics({ labels, gold, pred }).confusion).toEqual([
      [1, 1],
      [1, 2],
    ]);
  });

  test('accuracy 3/5 equals micro F1 for single-label data', () => {
    const m = classificationMetrics({ labels, gold, pred });
    expect(m.accuracy).toBeCloseTo(0.6, 12);
    expect(m.micro.f1).toBeCloseTo(0.6, 12);
  });

  test('per class and macro F1 (sklearn definitions)', () => {
    const m = classificationMetrics({ labels, gold, pred });
    expect(m.perLabel.pos!.f1).toBeCloseTo(2 / 3, 12);
    expect(m.perLabel.neg).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2, correct: 1 });
    expect(m.macro.f1).toBeCloseTo((2 / 3 + 0.5) / 2, 12);
  });

  test('loss is the mean negative log-probability of the gold label', () => {
    const probabilities = [
      [0.5, 0.5],
      [0.8, 0.2],
      [1, 0],
      [0.5, 0.5],
      [0.25, 0.75],
    ];
    const m = classificationMetrics({ labels, gold, pred: ['pos', 'neg', 'neg', 'neg', 'pos'], probabilities });
    expect(m.loss).toBeCloseTo(-(Math.log(0.5) + Math.log(0.2) + 0 + Math.log(0.5) + Math.log(0.75)) / 5, 12);
  });

  test('a label outside the label set is an error naming the row', () => {
    expect(() => classificationMetrics({ labels, gold: ['neg'], pred: ['maybe'] })).toThrow('row 0: predicted label "maybe" is not in the label set [neg, pos]');
  });
});
