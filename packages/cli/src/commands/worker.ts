import { findWorkspaceRoot } from '@tunekit/pipeline/engine';
import { line, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { openCommandStore } from '../store-location.ts';
import { positiveInt } from './run.ts';

const help = `Usage: tunekit worker --redis <redis://host:6379[/db]> [--store <dir>] [--concurrency <n>]

Take stage jobs from Redis (enqueued by \`tunekit run --executor redis://...\`) and run them,
each in its own process exactly as a local run does, committing outputs to the store. Runs until
stopped. Every machine needs the same checkout (same commit, npm ci) and the same store: a job
whose cache key this checkout computes differently (other code, plugin versions, runtime) is
refused with the differences. See docs/distributed.md.

Options:
  --redis <url>         The queue's Redis (required; redis:// or rediss://).
  --store <dir>         The shared store (default: TUNEKIT_STORE, else TUNEKIT_HOME, else
                        <workspace>/.tunekit). Must be the directory the coordinators use.
  --concurrency <n>     Stages at once (default 1).

Signals: SIGTERM/SIGINT once: take no new job, finish the running ones, exit 0; twice: interrupt
them and hand their jobs back to the queue (exit 130). SIGKILL: the jobs' locks expire
(TUNEKIT_WORKER_LOCK_MS, default 30 s) and other workers take them (at most twice per job).
Exit codes: 0 drained, 2 bad usage or unreachable Redis, 130 stopped.`;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run stage jobs from Redis (the redis executor) until stopped.',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { redis: { type: 'string' }, store: { type: 'string' }, concurrency: { type: 'string' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.redis) throw new UsageError('--redis <redis://host:6379[/db]> is required');
    const concurrency = positiveInt(values.concurrency, '--concurrency') ?? 1;
    const workspaceRoot = findWorkspaceRoot(io.cwd);
    const store = await openCommandStore(io.cwd, values.store);
    const { StageWorker } = await import('@tunekit/pipeline/redis');
    const say = (text: string) => line(io.stdout, `[worker ${new Date().toISOString().slice(11, 19)}] ${text}`);
    let worker: import('@tunekit/pipeline/redis').StageWorker;
    try {
      worker = await StageWorker.start({ url: values.redis, store, workspaceRoot, concurrency, say });
    } catch (error) {
      await store.close();
      throw error;
    }
    return new Promise<number>((resolve) => {
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals++;
        if (signals === 1) {
          say(`${signal}: draining (no new jobs; running ones finish; ${signal} again to hand them back)`);
          void worker.drain().then(async () => {
            // A second signal meanwhile: its stop (exit 130) decides, even if the drain ends first.
            if (signals > 1) return;
            await store.close();
            say('drained');
            resolve(0);
          });
        } else {
          say(`${signal}: stopping, handing running jobs back`);
          void worker.stop().then(async () => {
            await store.close();
            // Connections that keep retrying a Redis that is gone must not keep the process alive.
            setTimeout(() => process.exit(130), 2000).unref();
            resolve(130);
          });
        }
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
  },
};
