/** Off a terminal (logs, CI): one plain progress line per stage, at least every interval while it progresses. */
import { describe, expect, test } from '@jest/globals';
import { progressLines } from '../src/runner/progress-lines.ts';
import { formatDuration } from '../src/runner/progress-text.ts';
import type { StageProgressEvent } from '../src/sdk/run-events.ts';

/** A printer on a hand-moved clock; `at(ms, event)` delivers an event at that time. */
function printer(intervalMs = 30_000) {
  const lines: string[] = [];
  let clock = 0;
  const printed = progressLines({ write: (line) => lines.push(line), intervalMs, now: () => clock });
  const at = (ms: number, event: Omit<StageProgressEvent, 'runId'>) => {
    clock = ms;
    printed.update({ runId: 'r1', ...event });
  };
  return { lines, at, finish: printed.finish };
}

const train = (done: number, total = 90): Omit<StageProgressEvent, 'runId'> => ({ stageId: 'train[strategy=full]', done, total, unit: 'step', loss: 0.412, tokensPerSecond: 1850.4 });

describe('progress lines', () => {
  test('a stage reporting every second prints its first report, one line per 30 s with the ETA, and its last', () => {
    const { lines, at } = printer();
    for (let step = 1; step <= 90; step++) at(step * 1000, train(step));
    expect(lines).toEqual([
      '[train[strategy=full]] step 1/90 (1%) loss 0.412 1,850 tok/s',
      '[train[strategy=full]] step 31/90 (34%) loss 0.412 1,850 tok/s ETA 59s',
      '[train[strategy=full]] step 61/90 (67%) loss 0.412 1,850 tok/s ETA 29s',
      '[train[strategy=full]] step 90/90 (100%) loss 0.412 1,850 tok/s',
    ]);
  });

  test('the interval is a parameter: 10 s prints three times as often', () => {
    const { lines, at } = printer(10_000);
    for (let step = 1; step <= 90; step++) at(step * 1000, train(step));
    expect(lines.map((line) => line.split(' ')[2])).toEqual(['1/90', '11/90', '21/90', '31/90', '41/90', '51/90', '61/90', '71/90', '81/90', '90/90']);
  });

  test('two stages running at once print separate lines, each labelled by its stage, each on its own schedule', () => {
    const { lines, at } = printer();
    for (let second = 1; second <= 40; second++) {
      at(second * 1000, { stageId: 'train[strategy=full]', done: second, total: 100, unit: 'step', loss: 0.5 });
      if (second >= 5) at(second * 1000 + 500, { stageId: 'train[strategy=lora]', done: 2 * (second - 4), total: 200, unit: 'step', loss: 0.7 });
    }
    expect(lines).toEqual([
      '[train[strategy=full]] step 1/100 (1%) loss 0.500',
      '[train[strategy=lora]] step 2/200 (1%) loss 0.700',
      '[train[strategy=full]] step 31/100 (31%) loss 0.500 ETA 1m09s',
      '[train[strategy=lora]] step 62/200 (31%) loss 0.700 ETA 1m09s',
    ]);
  });

  test('a stage that ends between two lines (early stopping) prints where it stopped', () => {
    const { lines, at, finish } = printer();
    at(0, train(1));
    at(10_000, train(40));
    finish('train[strategy=full]');
    finish('train[strategy=full]');
    expect(lines).toEqual(['[train[strategy=full]] step 1/90 (1%) loss 0.412 1,850 tok/s', '[train[strategy=full]] step 40/90 (44%) loss 0.412 1,850 tok/s ETA 13s']);
  });

  test('evaluation counts rows and shows only what it reported', () => {
    const { lines, at } = printer();
    at(0, { stageId: 'eval', done: 64, total: 1000, unit: 'rows' });
    at(30_000, { stageId: 'eval', done: 364, total: 1000, unit: 'rows', message: 'test split' });
    expect(lines).toEqual(['[eval] rows 64/1000 (6%)', '[eval] rows 364/1000 (36%) test split ETA 1m04s']);
  });

  test('durations read as 45s, 2m10s, 1h05m', () => {
    expect([formatDuration(45), formatDuration(130), formatDuration(3900), formatDuration(59.6)]).toEqual(['45s', '2m10s', '1h05m', '1m00s']);
  });
});
