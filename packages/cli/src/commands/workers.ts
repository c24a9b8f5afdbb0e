import { line, parseCommandArgs, UsageError, type Command } from '../command.ts';

const help = `Usage: tunekit workers --redis <redis://host:6379[/db]> [--json]

List the live \`tunekit worker\` processes on this Redis: host, pid, concurrency, store, the
stages each is running now. A worker refreshes its entry every 5 s; a killed one disappears
within 15 s.
Exit codes: 0 listed, 2 bad usage or unreachable Redis.`;

export const workersCommand: Command = {
  name: 'workers',
  summary: 'List live workers of the redis executor (host, pid, concurrency, current stages).',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { redis: { type: 'string' }, json: { type: 'boolean' } });
    const url = values.redis ?? process.env.TUNEKIT_EXECUTOR;
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!url || !/^rediss?:\/\//.test(url)) throw new UsageError('--redis <redis://host:6379[/db]> is required (or TUNEKIT_EXECUTOR=redis://...)');
    const { liveWorkers } = await import('@tunekit/pipeline/redis');
    const { display, workers } = await liveWorkers(url, values.redis ? '--redis' : 'TUNEKIT_EXECUTOR');
    if (values.json) {
      line(io.stdout, JSON.stringify(workers));
      return 0;
    }
    if (workers.length === 0) {
      line(io.stdout, `no live workers on ${display}`);
      return 0;
    }
    line(io.stdout, `${workers.length} worker${workers.length === 1 ? '' : 's'} on ${display}:`);
    for (const worker of workers) {
      const running = worker.running.length > 0 ? worker.running.join(', ') : 'idle';
      line(io.stdout, `  ${worker.host}  pid ${worker.pid}  concurrency ${worker.concurrency}${worker.draining ? '  (draining)' : ''}  ${running}`);
    }
    return 0;
  },
};
