/**
 * Connections to the queue's Redis. `checkReachable` answers within `timeoutMs` (a PING on a
 * client that does not retry): an unreachable Redis is an ExecutorError naming the URL and the
 * error, never a hang. `connectionOptions` are what BullMQ's Queue and Worker get: retry for ever
 * (Redis restarts), with `maxRetriesPerRequest: null` as BullMQ requires for blocking commands.
 */
import { Redis } from 'ioredis';
import { ExecutorError } from '../executor-error.ts';
import type { RedisLocation } from './redis-url.ts';

export async function checkReachable(location: RedisLocation, timeoutMs = 5000): Promise<void> {
  const probe = new Redis({ ...location.options, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The connection error itself (ECONNREFUSED, ENOTFOUND, ...): connect() only says the connection closed.
  let connectionError: Error | undefined;
  probe.on('error', (error: Error) => (connectionError ??= error));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await probe.connect();
        await probe.ping();
      })(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new ExecutorError(`cannot reach Redis at ${location.display}: ${(connectionError ?? (error as Error)).message}`);
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}

export function connectionOptions(location: RedisLocation) {
  return {
    ...location.options,
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
    // Reconnect for ever, at most every 2 s: how long a run waits for Redis is bounded by the executor.
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}

/** Reject with `message` if `promise` has not settled after `ms` (ioredis queues commands while offline). */
export async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
