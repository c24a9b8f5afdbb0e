import type { StageProgressEvent } from '../sdk/run-events.ts';
import { progressText, trackProgress, type StageProgressState } from './progress-text.ts';

export interface ProgressLinesOptions {
  write(line: string): void;
  /** Longest silence of a progressing stage (default 30 s); each stage prints at most once per interval. */
  intervalMs?: number;
  /** Clock (ms); tests inject one. */
  now?: () => number;
}

export interface ProgressLines {
  update(event: StageProgressEvent): void;
  /** The stage ended: print its latest report if it was not printed yet. */
  finish(stageId: string): void;
}

/**
 * Plain progress lines for logs and CI, one stage per line:
 * `[train[strategy=full]] step 300/900 (33%) loss 0.412 1,850 tok/s ETA 2m10s`. A stage prints
 * its first report, then one line per interval while it progresses, its last report and, when it
 * ends early, where it stopped.
 */
export function progressLines(options: ProgressLinesOptions): ProgressLines {
  const intervalMs = options.intervalMs ?? 30_000;
  const now = options.now ?? Date.now;
  const stages = new Map<string, { state: StageProgressState; printedAt: number; printed: boolean }>();
  const print = (stageId: string, state: StageProgressState) => options.write(`[${stageId}] ${progressText(state)}`);
  return {
    update(event) {
      const at = now();
      const previous = stages.get(event.stageId);
      const state = trackProgress(previous?.state, event, at);
      const due = !previous || at - previous.printedAt >= intervalMs || event.done >= event.total;
      if (due) print(event.stageId, state);
      stages.set(event.stageId, { state, printedAt: due ? at : previous!.printedAt, printed: due });
    },
    finish(stageId) {
      const stage = stages.get(stageId);
      stages.delete(stageId);
      if (stage && !stage.printed) print(stageId, stage.state);
    },
  };
}
