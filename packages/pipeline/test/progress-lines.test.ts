/** Off a terminal (logs, CI): one plain progress line per stage, at least every interval while it progresses. */
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { progressLines } from '../src/runner/progress-lines.ts';
import { formatDuration } from '../src/runner/progress-text.ts';
import type { StageProgressEvent } from '../src/sdk/run-events.ts';

/** A printer on fake timers; `at(ms, event)` moves the clock to `ms` and delivers an event; `times` has when each line was printed. */
function printer(intervalMs = 30_000) {
  const lines: string[] = [];
  const times: number[] = [];
  const printed = progressLines({ write: (line) => void (lines.push(line), times.push(Date.now())), intervalMs });
  const at = (ms: number, event?: Omit<StageProgressEvent, 'runId'>) => {
    jest.advanceTimersByTime(ms - Date.now());
    if (event) printed.update({ runId: 'r1', ...event });
  };
  return { lines, times, at, finish: printed.finish };
}

const train = (done: number, total = 90): Omit<StageProgressEvent, 'runId'> => ({ stageId: 'train[strategy=full]', done, total, unit: 'step', loss: 0.412, tokensPerSecond: 1850.4 });

describe('progress lines', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test('a stage reporting every second prints its first report, its latest every 30 s with the ETA, and its last', () => {
    const { lines, times, at } = printer();
    for (let step = 1; step <= 90; step++) at(step * 1000, train(step));
    expect(lines).toEqual([
      '[train[strategy=full]] step 1/90 (1%) loss 0.412 1,850 tok/s',
      '[train[strategy=full]] step 30/90 (33%) loss 0.412 1,850 tok/s ETA 1m00s',
      '[train[strategy=full]] step 60/90 (66%) loss 0.412 1,850 tok/s ETA 30s',
      '[train[strategy=full]] step 90/90 (100%) loss 0.412 1,850 tok/s',
    ]);
    expect(times).toEqual([1000, 31_000, 61_000, 90_000]);
  });

  test('reports every 7 s still give a line every 30 s exactly; a stage that stops reporting prints nothing more', () => {
    const { times, at } = printer();
    for (let step = 1; step <= 12; step++) at((step - 1) * 7000, train(step));
    at(300_000);
    expect(times).toEqual([0, 30_000, 60_000, 90_000]);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('the interval is a parameter: 10 s prints three times as often', () => {
    const { lines, at } = printer(10_000);
    for (let step = 1; step <= 90; step++) at(step * 1000, train(step));
    expect(lines.map((line) => line.split(' ')[2])).toEqual(['1/90', '10/90', '20/90', '30/90', '40/90', '50/90', '60/90', '70/90', '80/90', '90/90']);
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
      '[train[strategy=full]] step 30/100 (30%) loss 0.500 ETA 1m10s',
      '[train[strategy=lora]] step 60/200 (30%) loss 0.700 ETA 1m10s',
    ]);
  });

  test('a stage that ends between two lines (early stopping) prints where it stopped', () => {
    const { lines, at, finish } = printer();
    at(0, train(1));
    at(10_000, train(40));
    finish('train[strategy=full]');
    finish('train[strategy=full]');
    at(100_000);
    expect(lines).toEqual(['[train[strategy=full]] step 1/90 (1%) loss 0.412 1,850 tok/s', '[train[strategy=full]] step 40/90 (44%) loss 0.412 1,850 tok/s ETA 13s']);
    expect(jest.getTimerCount()).toBe(0);
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
