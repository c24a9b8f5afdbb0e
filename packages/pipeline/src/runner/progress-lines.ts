import type { StageProgressEvent } from '../sdk/run-events.ts';
import { progressText, trackProgress, type StageProgressState } from './progress-text.ts';

export interface ProgressLinesOptions {
  write(line: string): void;
  /** Longest silence of a progressing stage (default 30 s); each stage prints at most once per interval. */
  intervalMs?: number;
}

export interface ProgressLines {
  update(event: StageProgressEvent): void;
  /** The stage ended: print its latest report if it was not printed yet. */
  finish(stageId: string): void;
}

interface ShownStage {
  state: StageProgressState;
  printedAt: number;
  printed: boolean;
  /** Prints the latest report when the interval since the last line is over. */
  timer?: NodeJS.Timeout;
}

/**
 * Plain progress lines for logs and CI, one stage per line:
 * `[train[strategy=full]] step 300/900 (33%) loss 0.412 1,850 tok/s ETA 2m10s`. A stage prints
 * its first report, then its latest report every interval while new ones come, its last report
 * and, when it ends early, where it stopped. A stage that stops reporting prints nothing more.
 */
export function progressLines(options: ProgressLinesOptions): ProgressLines {
  const intervalMs = options.intervalMs ?? 30_000;
  const stages = new Map<string, ShownStage>();
  const print = (stageId: string, stage: ShownStage) => {
    clearTimeout(stage.timer);
    stage.timer = undefined;
    stage.printedAt = Date.now();
    stage.printed = true;
    options.write(`[${stageId}] ${progressText(stage.state)}`);
  };
  return {
    update(event) {
      const now = Date.now();
      const previous = stages.get(event.stageId);
      const stage: ShownStage = previous ?? { state: trackProgress(undefined, event, now), printedAt: -Infinity, printed: false };
      stage.state = trackProgress(previous?.state, event, now);
      stage.printed = false;
      stages.set(event.stageId, stage);
      const wait = stage.printedAt + intervalMs - now;
      if (wait <= 0 || event.done >= event.total) print(event.stageId, stage);
      else stage.timer ??= setTimeout(() => print(event.stageId, stage), wait).unref();
    },
    finish(stageId) {
      const stage = stages.get(stageId);
      if (!stage) return;
      stages.delete(stageId);
      clearTimeout(stage.timer);
      if (!stage.printed) print(stageId, stage);
    },
  };
}
