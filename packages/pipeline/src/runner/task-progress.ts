import type { ProgressDetail } from '../sdk/define-stage.ts';
import { progressBars } from './progress-bars.ts';
import { progressLines } from './progress-lines.ts';

export interface TaskProgress {
  update(done: number, total: number, detail?: ProgressDetail): void;
  /** The task ended: its bar goes (or its last line is printed). */
  finish(): void;
}

/**
 * Progress of one long task outside a pipeline run (`tunekit predict`), drawn like a run's stages:
 * a bar on a terminal (unless `CI` is set), else a plain line at least every `intervalMs` (30 s).
 */
export function taskProgress(label: string, options: { stream: NodeJS.WritableStream & { isTTY?: boolean }; intervalMs?: number }): TaskProgress {
  const stream = options.stream;
  const bars = stream.isTTY && !process.env.CI ? progressBars({ stream }) : undefined;
  const renderer = bars ?? progressLines({ write: (line) => void stream.write(line + '\n'), intervalMs: options.intervalMs });
  return {
    update: (done, total, detail = {}) => renderer.update({ runId: '', stageId: label, done, total, ...detail }),
    finish() {
      renderer.finish(label);
      bars?.stop();
    },
  };
}
