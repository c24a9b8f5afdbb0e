/**
 * Rate limit for `ctx.progress.update` in a stage process, so a stage that reports every row does
 * not flood the IPC channel: at most one update per `intervalMs`, the first and the final one
 * (`done >= total`) at once, and the latest skipped one after the interval (nothing is lost for
 * good: a stage that stops reporting still shows where it is).
 */
export interface ThrottledProgress<T extends { done: number; total: number }> {
  update(progress: T): void;
  /** Send a pending update now (before the stage reports that it finished). */
  flush(): void;
}

export function throttleProgress<T extends { done: number; total: number }>(send: (progress: T) => void, intervalMs: number): ThrottledProgress<T> {
  let lastSent = -Infinity;
  let pending: T | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    const progress = pending;
    pending = undefined;
    lastSent = Date.now();
    send(progress);
  };
  return {
    update(progress) {
      pending = progress;
      const wait = lastSent + intervalMs - Date.now();
      if (wait <= 0 || progress.done >= progress.total) return flush();
      timer ??= setTimeout(flush, wait).unref();
    },
    flush,
  };
}
