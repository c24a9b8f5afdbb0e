/**
 * Live workers, for `tunekit workers` and for people: each worker keeps one Redis key
 * `tunekit:workers:<host>:<pid>` (JSON: host, pid, concurrency, store, started, running stages)
 * with a 15 s expiry that it refreshes every 5 s, so a killed worker disappears within 15 s.
 */
import type { Redis } from 'ioredis';
import type { WorkerId } from './stage-job.ts';

const PREFIX = 'tunekit:workers:';
const TTL_S = 15;
const REFRESH_MS = 5000;

export interface WorkerInfo extends WorkerId {
  concurrency: number;
  store: string;
  startedAt: string;
  /** Stage ids running now. */
  running: string[];
  draining: boolean;
}

export class WorkerRegistration {
  private readonly running = new Set<string>();
  private draining = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly redis: Redis, private readonly info: Omit<WorkerInfo, 'running' | 'draining'>) {
    this.timer = setInterval(() => void this.publish(), REFRESH_MS);
    this.timer.unref();
  }

  private get key(): string {
    return `${PREFIX}${this.info.host}:${this.info.pid}`;
  }

  publish(): Promise<unknown> {
    const value: WorkerInfo = { ...this.info, running: [...this.running], draining: this.draining };
    return this.redis.set(this.key, JSON.stringify(value), 'EX', TTL_S).catch(() => undefined);
  }

  started(stageId: string): void {
    this.running.add(stageId);
    void this.publish();
  }

  finished(stageId: string): void {
    this.running.delete(stageId);
    void this.publish();
  }

  drain(): void {
    this.draining = true;
    void this.publish();
  }

  async remove(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.del(this.key).catch(() => undefined);
  }
}

export async function listWorkers(redis: Redis): Promise<WorkerInfo[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 200);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const workers: WorkerInfo[] = [];
  for (const key of keys.sort()) {
    const text = await redis.get(key);
    if (text) workers.push(JSON.parse(text) as WorkerInfo);
  }
  return workers;
}
