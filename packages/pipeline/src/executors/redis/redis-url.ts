/** `redis://[user[:password]@]host[:port][/db]` (or `rediss://`, TLS) → ioredis options. */
import { ExecutorError } from '../executor-error.ts';

export interface RedisLocation {
  /** The URL with any password replaced by `***` (what messages print). */
  display: string;
  options: { host: string; port: number; db: number; username?: string; password?: string; tls?: Record<string, never> };
}

export function parseRedisUrl(text: string, source = '--executor'): RedisLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ExecutorError(`${source}: "${text}" is not a URL (expected redis://host:6379[/db])`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ExecutorError(`${source}: "${text}" must start with redis:// or rediss://`);
  if (!url.hostname) throw new ExecutorError(`${source}: "${text}" names no host (expected redis://host:6379[/db])`);
  const port = url.port ? Number(url.port) : 6379;
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15 || !/^\d*$/.test(dbText)) throw new ExecutorError(`${source}: "${text}": database "${dbText}" must be an integer 0-15`);
  const hidden = new URL(url.href);
  if (hidden.password) hidden.password = '***';
  return {
    display: hidden.href.replace(/\/$/, ''),
    options: {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port,
      db,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}
