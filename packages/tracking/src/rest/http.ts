/**
 * HTTP for the MLflow REST API with Node's global fetch (Node >= 18; no extra HTTP library).
 *
 * - 408, 429, 500, 502, 503, 504 and network errors/timeouts are retried with exponential backoff
 *   (base * 2^attempt, capped, honouring Retry-After on 429), at most `maxRetries` times, then a
 *   TrackingUnavailableError is thrown (the buffered client journals the operation).
 * - Any other non-2xx answer is a TrackingError carrying MLflow's `error_code` and `message`.
 */
import { TrackingError, TrackingUnavailableError } from '../client/errors.ts';
import { stringifyMlflowJson } from './json-values.ts';

export interface HttpOptions {
  baseUrl: string;
  authorization?: string;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** First backoff delay in ms (default 500); doubles each retry. */
  backoffMs?: number;
  /** Largest single delay in ms (default 16000). */
  maxBackoffMs?: number;
  /** Per-request timeout in ms (default 30000). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

// MLflow's own client retries the same set (mlflow/utils/request_utils.py, _TRANSIENT_FAILURE_RESPONSE_CODES).
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
}

export class HttpTransport {
  private readonly options: Required<Omit<HttpOptions, 'authorization'>> & { authorization?: string };

  constructor(options: HttpOptions) {
    this.options = {
      maxRetries: 5,
      backoffMs: 500,
      maxBackoffMs: 16000,
      timeoutMs: 30000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  url(path: string, query?: RequestOptions['query']): string {
    const url = new URL(`${this.options.baseUrl}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.href;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<unknown> {
    const url = this.url(path, options.query);
    const headers: Record<string, string> = {};
    if (this.options.authorization) headers.authorization = this.options.authorization;
    let body: string | Uint8Array | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = stringifyMlflowJson(options.json);
    } else if (options.body) {
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
      body = options.body;
    }
    let lastProblem = '';
    for (let attempt = 0; attempt <= this.options.maxRetries; attempt++) {
      if (attempt > 0) await this.options.sleep(this.delay(attempt, lastProblem));
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
      } catch (error) {
        lastProblem = `network error: ${(error as Error).cause ? String((error as Error).cause) : (error as Error).message}`;
        continue;
      }
      const text = await response.text().catch(() => '');
      if (response.ok) return text ? JSON.parse(text) : {};
      if (RETRY_STATUSES.has(response.status)) {
        const retryAfter = Number(response.headers.get('retry-after'));
        lastProblem = `HTTP ${response.status}${Number.isFinite(retryAfter) && retryAfter > 0 ? ` retry-after=${retryAfter}` : ''}: ${text.slice(0, 200)}`;
        continue;
      }
      throw errorFromResponse(method, url, response.status, text);
    }
    throw new TrackingUnavailableError(
      `MLflow server unreachable: ${method} ${url} failed ${this.options.maxRetries + 1} times (last: ${lastProblem})`,
      { reason: this.options.maxRetries > 0 ? `${lastProblem} (${this.options.maxRetries + 1} attempts)` : lastProblem },
    );
  }

  private delay(attempt: number, lastProblem: string): number {
    const retryAfter = /retry-after=(\d+(?:\.\d+)?)/.exec(lastProblem);
    const exponential = this.options.backoffMs * 2 ** (attempt - 1);
    const wanted = retryAfter ? Math.max(exponential, Number(retryAfter[1]) * 1000) : exponential;
    return Math.min(wanted, this.options.maxBackoffMs);
  }
}

function errorFromResponse(method: string, url: string, status: number, text: string): TrackingError {
  const path = new URL(url).pathname;
  try {
    const data = JSON.parse(text) as { error_code?: string; message?: string };
    if (data.error_code) return new TrackingError(data.error_code, `${data.message ?? ''} [${method} ${path}]`, status);
  } catch {
    // not JSON: fall through
  }
  return new TrackingError(`HTTP_${status}`, `${text.slice(0, 500) || 'no body'} [${method} ${path}]`, status);
}
