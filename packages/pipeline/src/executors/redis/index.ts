export { RedisExecutor, type RedisExecutorOptions } from './redis-executor.ts';
export { StageWorker, type StageWorkerOptions } from './redis-worker.ts';
export { listWorkers, type WorkerInfo } from './worker-registry.ts';
export { parseRedisUrl } from './redis-url.ts';
export { checkReachable, connectionOptions } from './redis-connection.ts';
export { liveWorkers } from './live-workers.ts';
