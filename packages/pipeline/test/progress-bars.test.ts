/** On a terminal: one cli-progress bar per running stage (a MultiBar), log lines above the bars. */
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { consoleProgress } from '../src/runner/console-progress.ts';
import { progressBars } from '../src/runner/progress-bars.ts';
import { fakeTerminal } from './fake-terminal.ts';

const full = { runId: 'r1', stageId: 'train[strategy=full]', unit: 'step', loss: 0.412, tokensPerSecond: 1850 };
const lora = { runId: 'r1', stageId: 'train[strategy=lora]', unit: 'step', loss: 0.7 };

describe('progress bars', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test('two stages running at once show one bar each, redrawn in place', () => {
    const tty = fakeTerminal();
    const bars = progressBars({ stream: tty.stream, fps: 5 });
    bars.update({ ...full, done: 0, total: 900 });
    bars.update({ ...lora, done: 0, total: 900 });
    jest.advanceTimersByTime(30_000);
    bars.update({ ...full, done: 300, total: 900 });
    bars.update({ ...lora, done: 150, total: 900 });
    jest.advanceTimersByTime(200);
    expect(tty.screen()).toEqual([
      '[train[strategy=full]] ███████░░░░░░░░░░░░░ step 300/900 (33%) loss 0.412 1,850 tok/s ETA 1m00s',
      '[train[strategy=lora]] ███░░░░░░░░░░░░░░░░░ step 150/900 (16%) loss 0.700 ETA 2m30s',
    ]);
    bars.stop();
  });

  test('bars line up: labels are padded to the longest stage id shown', () => {
    const tty = fakeTerminal();
    const bars = progressBars({ stream: tty.stream });
    bars.update({ runId: 'r1', stageId: 'eval', done: 10, total: 100, unit: 'rows' });
    bars.update({ runId: 'r1', stageId: 'train[strategy=adapter]', done: 9, total: 90, unit: 'step' });
    jest.advanceTimersByTime(1000);
    expect(tty.screen()).toEqual([
      '[eval]                    ██░░░░░░░░░░░░░░░░░░ rows 10/100 (10%)',
      '[train[strategy=adapter]] ██░░░░░░░░░░░░░░░░░░ step 9/90 (10%)',
    ]);
    bars.stop();
  });

  test('log lines are printed above the bars, which stay', () => {
    const tty = fakeTerminal();
    const bars = progressBars({ stream: tty.stream });
    bars.update({ ...full, done: 90, total: 900 });
    jest.advanceTimersByTime(1000);
    bars.log('[train[strategy=full]] step 100: eval_f1 0.3100');
    bars.log('[train[strategy=full]] step 200: eval_f1 0.3500');
    jest.advanceTimersByTime(1000);
    expect(tty.screen()).toEqual([
      '[train[strategy=full]] step 100: eval_f1 0.3100',
      '[train[strategy=full]] step 200: eval_f1 0.3500',
      '[train[strategy=full]] ██░░░░░░░░░░░░░░░░░░ step 90/900 (10%) loss 0.412 1,850 tok/s',
    ]);
    bars.stop();
  });

  test('through the console observer: a finished stage loses its bar and prints its result; nothing is drawn after the run', () => {
    const tty = fakeTerminal();
    const saved = process.env.CI;
    delete process.env.CI;
    process.env.NO_COLOR = '1';
    const observer = consoleProgress({ stream: tty.stream });
    if (saved !== undefined) process.env.CI = saved;
    delete process.env.NO_COLOR;
    const started = { runId: 'r1', uses: 'training/fine-tune', params: {}, cacheKey: 'abcdef0123456789', startedAt: 0 };
    observer.stageStarted!({ ...started, stageId: full.stageId });
    observer.stageStarted!({ ...started, stageId: lora.stageId });
    observer.stageProgress!({ ...full, done: 450, total: 900 });
    observer.stageProgress!({ ...lora, done: 300, total: 900 });
    jest.advanceTimersByTime(1000);
    expect(tty.screen()).toEqual([
      '[train[strategy=full]] started (key abcdef012345)',
      '[train[strategy=lora]] started (key abcdef012345)',
      '[train[strategy=full]] ██████████░░░░░░░░░░ step 450/900 (50%) loss 0.412 1,850 tok/s',
      '[train[strategy=lora]] ███████░░░░░░░░░░░░░ step 300/900 (33%) loss 0.700',
    ]);
    observer.stageFinished!({ runId: 'r1', stageId: full.stageId, uses: 'training/fine-tune', status: 'ran', seconds: 251, finishedAt: 0 });
    jest.advanceTimersByTime(1000);
    expect(tty.screen()).toEqual([
      '[train[strategy=full]] started (key abcdef012345)',
      '[train[strategy=lora]] started (key abcdef012345)',
      '✔ [train[strategy=full]] ran 251.00s',
      '[train[strategy=lora]] ███████░░░░░░░░░░░░░ step 300/900 (33%) loss 0.700',
    ]);
    observer.stageFinished!({ runId: 'r1', stageId: lora.stageId, uses: 'training/fine-tune', status: 'ran', seconds: 199, finishedAt: 0 });
    observer.runFinished!({ runId: 'r1', status: 'succeeded', finishedAt: 0 });
    expect(tty.screen()).toEqual([
      '[train[strategy=full]] started (key abcdef012345)',
      '[train[strategy=lora]] started (key abcdef012345)',
      '✔ [train[strategy=full]] ran 251.00s',
      '✔ [train[strategy=lora]] ran 199.00s',
      'run r1 succeeded (2 ran)',
    ]);
    const writes = tty.writes();
    jest.advanceTimersByTime(10_000);
    expect(tty.writes()).toBe(writes);
    expect(jest.getTimerCount()).toBe(0);
  });
});
