/**
 * The redis executor's first check, in process: an address where nothing listens and one that
 * accepts connections but never answers are both an ExecutorError (exit code 2) naming the URL and
 * the error, within 10 s. Both servers are on 127.0.0.1 and started here.
 */
import { describe, expect, test } from '@jest/globals';
import { createServer, type Socket } from 'node:net';
import { RedisExecutor } from '../src/executors/redis/redis-executor.ts';
import { parseRedisUrl } from '../src/executors/redis/redis-url.ts';

function listen(onConnection: (socket: Socket) => void = () => undefined): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () => new Promise<void>((done) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => done());
        }),
      }),
    ),
  );
}

async function refusal(url: string): Promise<{ error: Error & { exitCode?: number }; seconds: number }> {
  const started = performance.now();
  const error = await RedisExecutor.open(url).then(
    () => new Error('opened'),
    (failure: Error) => failure,
  );
  return { error, seconds: (performance.now() - started) / 1000 };
}

describe('redis executor: reachability', () => {
  test('nothing listening: exit 2, the URL and ECONNREFUSED, at once', async () => {
    const server = await listen();
    await server.close(); // the port is free now
    const { error, seconds } = await refusal(`redis://127.0.0.1:${server.port}/2`);
    expect(error.message).toBe(`cannot reach Redis at redis://127.0.0.1:${server.port}/2: connect ECONNREFUSED 127.0.0.1:${server.port}`);
    expect(error.exitCode).toBe(2);
    expect(seconds).toBeLessThan(10);
  });

  test('a server that never answers: exit 2 after the 5 s check, not a hang', async () => {
    const silent = await listen();
    try {
      const { error, seconds } = await refusal(`redis://127.0.0.1:${silent.port}`);
      expect(error.message).toBe(`cannot reach Redis at redis://127.0.0.1:${silent.port}: no answer within 5 s`);
      expect(error.exitCode).toBe(2);
      expect(seconds).toBeGreaterThanOrEqual(4.9);
      expect(seconds).toBeLessThan(10);
    } finally {
      await silent.close();
    }
  }, 20_000);

  test('malformed URLs are exit 2 with what was expected', () => {
    expect(() => parseRedisUrl('localhost:6379')).toThrow('--executor: "localhost:6379" must start with redis:// or rediss://');
    expect(() => parseRedisUrl('redis://h:6379/x', 'p.yaml: executor')).toThrow('p.yaml: executor: "redis://h:6379/x": database "x" must be an integer 0-15');
    expect(parseRedisUrl('redis://:secret@h:6380/3')).toEqual({ display: 'redis://:***@h:6380/3', options: { host: 'h', port: 6380, db: 3, password: 'secret' } });
  });
});
