/** A stage process forwards at most one progress update per interval; the first, the final and the latest skipped one always arrive. */
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { throttleProgress } from '../src/runner/progress-throttle.ts';

type Update = { done: number; total: number };

describe('progress throttle', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test('an update every 10 ms: the first at once, then the latest one every 250 ms, the last skipped one after the interval', () => {
    const sent: number[] = [];
    const progress = throttleProgress<Update>((p) => sent.push(p.done), 250);
    for (let done = 1; done <= 90; done++) {
      progress.update({ done, total: 1000 }); // at t = (done - 1) * 10 ms
      jest.advanceTimersByTime(10);
    }
    expect(sent).toEqual([1, 25, 50, 75]);
    jest.advanceTimersByTime(99);
    expect(sent).toEqual([1, 25, 50, 75]);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual([1, 25, 50, 75, 90]);
  });

  test('the final update (done = total) is sent at once, not after the interval', () => {
    const sent: number[] = [];
    const progress = throttleProgress<Update>((p) => sent.push(p.done), 250);
    progress.update({ done: 1, total: 3 });
    progress.update({ done: 2, total: 3 });
    progress.update({ done: 3, total: 3 });
    expect(sent).toEqual([1, 3]);
    jest.advanceTimersByTime(1000);
    expect(sent).toEqual([1, 3]);
  });

  test('flush sends the pending update now (before the stage reports done)', () => {
    const sent: number[] = [];
    const progress = throttleProgress<Update>((p) => sent.push(p.done), 250);
    progress.update({ done: 1, total: 10 });
    progress.update({ done: 7, total: 10 });
    progress.flush();
    expect(sent).toEqual([1, 7]);
    progress.flush();
    expect(sent).toEqual([1, 7]);
  });
});
