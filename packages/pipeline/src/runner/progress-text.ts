import type { StageProgressEvent } from '../sdk/run-events.ts';

/**
 * The words of one progress report, shared by the TTY bars and the plain lines:
 * `step 300/900 (33%) loss 0.412 1,850 tok/s ETA 2m10s`.
 */

/** Where a stage's progress stands: its first report (the ETA's origin) and its latest. */
export interface StageProgressState {
  first: { done: number; at: number };
  latest: StageProgressEvent;
  latestAt: number;
}

export function trackProgress(previous: StageProgressState | undefined, event: StageProgressEvent, now: number): StageProgressState {
  return { first: previous?.first ?? { done: event.done, at: now }, latest: event, latestAt: now };
}

/** Seconds left at the average rate since the first report; undefined before there is a rate. */
export function etaSeconds(state: StageProgressState): number | undefined {
  const units = state.latest.done - state.first.done;
  const seconds = (state.latestAt - state.first.at) / 1000;
  if (units <= 0 || seconds <= 0) return undefined;
  return Math.max(0, ((state.latest.total - state.latest.done) * seconds) / units);
}

/** `45s`, `2m10s`, `1h05m`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `step 300/900 (33%)`. */
export function countText(event: StageProgressEvent): string {
  const pct = event.total > 0 ? ` (${Math.floor((100 * event.done) / event.total)}%)` : '';
  return `${event.unit ?? 'step'} ${event.done}/${event.total}${pct}`;
}

/** `loss 0.412 1,850 tok/s <message> ETA 2m10s`: only the parts the stage reported. */
export function detailText(state: StageProgressState): string {
  const { loss, tokensPerSecond, message } = state.latest;
  const eta = state.latest.done < state.latest.total ? etaSeconds(state) : undefined;
  return [
    loss !== undefined && Number.isFinite(loss) ? `loss ${loss.toFixed(3)}` : '',
    tokensPerSecond !== undefined ? `${Math.round(tokensPerSecond).toLocaleString('en-US')} tok/s` : '',
    message ?? '',
    eta !== undefined ? `ETA ${formatDuration(eta)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function progressText(state: StageProgressState): string {
  const detail = detailText(state);
  return `${countText(state.latest)}${detail ? ` ${detail}` : ''}`;
}
