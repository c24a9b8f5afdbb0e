import { RestClient } from '../../src/rest/rest-client.ts';
import type { FakeMlflowServer } from './fake-mlflow-server.ts';

/** Real retries and backoff, with millisecond delays so tests stay fast; the delays are recorded. */
export function fastRestClient(server: FakeMlflowServer, extra: { authorization?: string; maxRetries?: number } = {}) {
  const sleeps: number[] = [];
  const client = new RestClient(server.url, {
    backoffMs: 1,
    maxBackoffMs: 20,
    timeoutMs: 2000,
    maxRetries: extra.maxRetries ?? 3,
    authorization: extra.authorization,
    sleep: async (ms) => {
      sleeps.push(ms);
      await new Promise((r) => setTimeout(r, 1));
    },
  });
  return { client, sleeps };
}
