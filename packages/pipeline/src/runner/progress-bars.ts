import type cliProgress from 'cli-progress';
import { createRequire } from 'node:module';
import type { StageProgressEvent } from '../sdk/run-events.ts';
import { countText, detailText, trackProgress, type StageProgressState } from './progress-text.ts';

export interface ProgressBarsOptions {
  stream: NodeJS.WritableStream;
  /** Redraws per second (default 5). */
  fps?: number;
}

export interface ProgressBars {
  update(event: StageProgressEvent): void;
  /** The stage ended: its bar goes (the caller prints the stage's result line). */
  finish(stageId: string): void;
  /** Print a line above the bars (or plainly when none is shown). */
  log(line: string): void;
  /** Remove every bar and stop redrawing. */
  stop(): void;
}

/** cli-progress, loaded when the first bar is drawn: a cached run or a run off a TTY never needs it. */
const loadCliProgress = () => createRequire(import.meta.url)('cli-progress') as typeof cliProgress;

/**
 * One cli-progress bar per running stage on a terminal (a MultiBar: stages running at once get one
 * line each); log lines go above the bars. Bars exist only while a stage reports progress, so the
 * redraw timer never outlives the run.
 */
export function progressBars(options: ProgressBarsOptions): ProgressBars {
  let loaded: cliProgress.MultiBar | undefined;
  const multibar = (): cliProgress.MultiBar => {
    if (loaded) return loaded;
    const { MultiBar, Presets } = loadCliProgress();
    const format = {
      stream: options.stream,
      fps: options.fps ?? 5,
      format: '{label} {bar} {count} {detail}',
      barsize: 20,
      clearOnComplete: true,
      hideCursor: false,
      autopadding: true,
      forceRedraw: true, // redraw every bar each frame: a log line printed above must not blank an unchanged bar
    };
    return (loaded = new MultiBar(format, Presets.shades_classic));
  };
  const bars = new Map<string, { bar: cliProgress.SingleBar; state: StageProgressState }>();
  // Labels padded to the longest shown, so that the bars line up.
  let labelWidth = 0;
  const payload = (stageId: string, state: StageProgressState) => ({ label: `[${stageId}]`.padEnd(labelWidth), count: countText(state.latest), detail: detailText(state) });
  return {
    update(event) {
      const shown = bars.get(event.stageId);
      const state = trackProgress(shown?.state, event, Date.now());
      if (!shown) {
        if (event.stageId.length + 2 > labelWidth) {
          labelWidth = event.stageId.length + 2;
          for (const [stageId, other] of bars) other.bar.update(payload(stageId, other.state));
        }
        bars.set(event.stageId, { bar: multibar().create(event.total, event.done, payload(event.stageId, state)), state });
        return;
      }
      shown.state = state;
      shown.bar.setTotal(event.total);
      shown.bar.update(event.done, payload(event.stageId, state));
    },
    finish(stageId) {
      const shown = bars.get(stageId);
      if (!shown) return;
      bars.delete(stageId);
      multibar().remove(shown.bar);
      if (bars.size === 0) {
        multibar().stop();
        labelWidth = 0;
      }
    },
    log(line) {
      if (bars.size > 0) multibar().log(`${line}\n`);
      else options.stream.write(`${line}\n`);
    },
    stop() {
      if (bars.size === 0) return;
      bars.clear();
      multibar().update(); // prints the buffered log lines
      multibar().stop();
    },
  };
}
