import { describe, expect, test } from '@jest/globals';
import { Writable } from 'node:stream';
import { WORKER_TAG } from '../src/executors/executor.ts';
import { consoleProgress } from '../src/runner/console-progress.ts';

function sink(isTTY: boolean) {
  let text = '';
  const stream = Object.assign(new Writable({ write(chunk, _e, done) { text += String(chunk); done(); } }), { isTTY });
  return { stream, text: () => text };
}

function drive(verbose: boolean | undefined, isTTY = false) {
  const out = sink(isTTY);
  const progress = consoleProgress({ stream: out.stream, verbose });
  const base = { runId: 'r1', stageId: 'train[strategy=lora]' };
  progress.runStarted!({ runId: 'r1', pipelineName: 'p', experiment: 'p', pipelineFile: '/p.yaml', params: {}, startedAt: 0 });
  progress.stageStarted!({ ...base, uses: 'x/y', params: {}, cacheKey: 'abcdef0123456789', startedAt: 0 });
  progress.stageLog!({ ...base, level: 'info', message: 'epoch 1' });
  progress.stageProgress!({ ...base, done: 5, total: 10, message: 'loss 0.3' });
  progress.stageFinished!({ ...base, uses: 'x/y', status: 'ran', seconds: 1.234, finishedAt: 0 });
  progress.stageFinished!({ runId: 'r1', stageId: 'eval', uses: 'x/z', status: 'failed', seconds: 0.5, error: 'boom', log: '/logs/eval.log', finishedAt: 0 });
  progress.runFinished!({ runId: 'r1', status: 'failed', finishedAt: 0 });
  return out.text();
}

describe('console progress', () => {
  test('the mode follows the stream: verbose on a TTY unless CI is set, quiet on pipes', () => {
    const saved = { CI: process.env.CI, NO_COLOR: process.env.NO_COLOR };
    try {
      process.env.NO_COLOR = '1';
      delete process.env.CI;
      expect(drive(undefined, true)).toBe(drive(true, true));
      expect(drive(undefined, false)).toBe(drive(false));
      process.env.CI = '1';
      expect(drive(undefined, true)).toBe(drive(false));
      expect(drive(true)).not.toBe(drive(false));
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });


  test('quiet mode (pipes, CI): progress lines, one line per finished stage and a summary', () => {
    expect(drive(false)).toBe(
      '[train[strategy=lora]] step 5/10 (50%) loss 0.3\n✔ [train[strategy=lora]] ran 1.23s\n✖ [eval] failed 0.50s: boom (log: /logs/eval.log)\nrun r1 failed (1 ran, 1 failed)\n',
    );
  });

  test('verbose mode: stage-prefixed starts, log lines and progress lines too (bars on a TTY: progress-bars.test.ts)', () => {
    expect(drive(true)).toBe(
      [
        'tunekit: run r1 of p',
        '[train[strategy=lora]] started (key abcdef012345)',
        '[train[strategy=lora]] epoch 1',
        '[train[strategy=lora]] step 5/10 (50%) loss 0.3',
        '✔ [train[strategy=lora]] ran 1.23s',
        '✖ [eval] failed 0.50s: boom (log: /logs/eval.log)',
        'run r1 failed (1 ran, 1 failed)',
        '',
      ].join('\n'),
    );
  });
});

describe('console progress: which worker runs a stage (redis executor)', () => {
  const tagged = (verbose: boolean) => {
    const out = sink(false);
    const progress = consoleProgress({ stream: out.stream, verbose });
    progress.stageTag!({ runId: 'r1', stageId: 'train', key: WORKER_TAG, value: 'node-a:4711' });
    progress.stageTag!({ runId: 'r1', stageId: 'train', key: 'tunekit.resumed_from_step', value: '300' });
    return out.text();
  };

  test('off a terminal the worker tag prints one line; other tags print nothing', () => {
    expect(tagged(false)).toBe('[train] running on worker node-a:4711\n');
  });

  test("verbose: nothing extra (the executor's log line already names the worker)", () => {
    expect(tagged(true)).toBe('');
  });
});
