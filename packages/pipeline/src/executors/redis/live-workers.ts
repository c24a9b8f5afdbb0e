/** `tunekit workers`: the live workers of one Redis (an ExecutorError, exit 2, if it does not answer). */
import { Redis } from 'ioredis';
import { checkReachable } from './redis-connection.ts';
import { parseRedisUrl } from './redis-url.ts';
import { listWorkers, type WorkerInfo } from './worker-registry.ts';

export async function liveWorkers(url: string, source = '--redis'): Promise<{ display: string; workers: WorkerInfo[] }> {
  const location = parseRedisUrl(url, source);
  await checkReachable(location);
  const redis = new Redis({ ...location.options, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    return { display: location.display, workers: await listWorkers(redis) };
  } finally {
    redis.disconnect();
  }
}
