import type { RunObserver } from '../sdk/run-events.ts';

/**
 * Deliver events to observers in order, one queue per observer, so a slow observer (remote
 * tracking) never blocks the scheduler and an observer that throws is reported, not propagated.
 */
export class ObserverHub {
  private readonly queues: Promise<void>[];
  private readonly warned = new Set<number>();

  constructor(
    private readonly observers: RunObserver[],
    private readonly warn: (message: string) => void = (message) => process.stderr.write(`warning: ${message}\n`),
  ) {
    this.queues = observers.map(() => Promise.resolve());
  }

  emit<K extends keyof RunObserver>(method: K, event: Parameters<NonNullable<RunObserver[K]>>[0]): void {
    this.observers.forEach((observer, i) => {
      const handler = observer[method] as ((e: typeof event) => void | Promise<void>) | undefined;
      if (!handler) return;
      this.queues[i] = this.queues[i]!.then(() => handler.call(observer, event)).catch((error: unknown) => {
        if (this.warned.has(i)) return;
        this.warned.add(i);
        this.warn(`run observer #${i + 1} failed on ${String(method)}: ${(error as Error).message ?? error}`);
      });
    });
  }

  /** Wait until every observer has handled every event. */
  async drain(): Promise<void> {
    await Promise.all(this.queues);
  }
}
