import { WORKER_TAG } from '../executors/executor.ts';
import type { RunObserver } from '../sdk/run-events.ts';
import { progressBars } from './progress-bars.ts';
import { progressLines } from './progress-lines.ts';

export interface ConsoleProgressOptions {
  /** Where lines go (default: process.stdout). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Live detail (stage logs, progress): default when the stream is a TTY and `CI` is not set. */
  verbose?: boolean;
  /** Off a terminal: longest silence of a progressing stage (default 30 s). */
  progressIntervalMs?: number;
}

const SYMBOL = { ran: '✔', cached: '●', failed: '✖', skipped: '-' } as const;

/**
 * Stage-prefixed console output. On a terminal: stage starts, their log lines and one progress bar
 * per running stage; otherwise (pipes, CI) a progress line per stage at least every 30 s while it
 * progresses, one line per finished stage and the run summary.
 */
export function consoleProgress(options: ConsoleProgressOptions = {}): RunObserver {
  const stream = options.stream ?? process.stdout;
  const verbose = options.verbose ?? (Boolean(stream.isTTY) && !process.env.CI);
  const color = Boolean(stream.isTTY) && !process.env.NO_COLOR;
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const counts = { ran: 0, cached: 0, failed: 0, skipped: 0 };
  const bars = verbose && stream.isTTY ? progressBars({ stream }) : undefined;
  const write = bars ? bars.log : (line: string) => void stream.write(line + '\n');
  const lines = bars ? undefined : progressLines({ write, intervalMs: options.progressIntervalMs });
  return {
    runStarted(event) {
      if (verbose) write(paint(1, `tunekit: run ${event.runId} of ${event.pipelineName}`));
    },
    stageStarted(event) {
      if (verbose) write(`${paint(36, `[${event.stageId}]`)} started (key ${event.cacheKey.slice(0, 12)})`);
    },
    stageTag(event) {
      // On a terminal the executor's "running on worker …" log line already says it.
      if (!verbose && event.key === WORKER_TAG) write(`[${event.stageId}] running on worker ${event.value}`);
    },
    stageLog(event) {
      if (verbose) write(`${paint(36, `[${event.stageId}]`)} ${event.level === 'warn' ? paint(33, event.message) : event.message}`);
    },
    stageProgress(event) {
      (bars ?? lines)!.update(event);
    },
    stageFinished(event) {
      (bars ?? lines)!.finish(event.stageId);
      counts[event.status]++;
      const tone = event.status === 'failed' ? 31 : event.status === 'skipped' ? 33 : event.status === 'cached' ? 2 : 32;
      const detail = event.error ? `: ${event.error}${event.status === 'failed' && event.log ? ` (log: ${event.log})` : ''}` : '';
      const why = event.reason ? ` (${event.reason})` : '';
      write(`${paint(tone, `${SYMBOL[event.status]} [${event.stageId}] ${event.status}`)} ${event.seconds.toFixed(2)}s${why}${detail}`);
    },
    runFinished(event) {
      bars?.stop();
      const summary = Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([status, n]) => `${n} ${status}`)
        .join(', ');
      write(paint(event.status === 'succeeded' ? 32 : 31, `run ${event.runId} ${event.status}${summary ? ` (${summary})` : ''}`));
    },
  };
}
