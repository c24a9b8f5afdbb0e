/**
 * Chooses the backend from the tracking URI:
 *   MLFLOW_TRACKING_URI, else the pipeline's `tracking.uri`, else `file:<workspaceRoot>/mlruns`.
 * `file:` URIs and plain paths (relative ones against the workspace root) → file store;
 * `http://` / `https://` → REST client with the offline journal.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileStoreClient } from '../file-store/file-store.ts';
import { RestClient } from '../rest/rest-client.ts';
import type { HttpOptions } from '../rest/http.ts';
import { authorizationHeader } from '../rest/auth.ts';
import { BufferedRestClient } from '../offline/buffered-client.ts';
import type { TrackingClient } from './types.ts';

export interface ClientOptions {
  workspaceRoot: string;
  /** The pipeline's `tracking.uri` (MLFLOW_TRACKING_URI wins over it). */
  uri?: string;
  env?: NodeJS.ProcessEnv;
  /** Where offline journals go (default `$TUNEKIT_HOME/tracking-buffer`, `.tunekit/` at the workspace root). */
  bufferDir?: string;
  /** Retry/backoff/timeout settings of the REST client. */
  http?: Omit<HttpOptions, 'baseUrl' | 'authorization'>;
  onOffline?: (error: Error, journalPath: string) => void;
  /**
   * For commands that only read (`tracking runs`, `compare`): a server URI gets the plain REST
   * client, without the offline journal, so an unreachable server is a TrackingUnavailableError
   * instead of an empty answer ("no experiment named X").
   */
  readOnly?: boolean;
}

export function resolveTrackingUri(options: Pick<ClientOptions, 'workspaceRoot' | 'uri' | 'env'>): string {
  const env = options.env ?? process.env;
  return env.MLFLOW_TRACKING_URI || options.uri || `file:${join(options.workspaceRoot, 'mlruns')}`;
}

export function defaultBufferDir(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(env.TUNEKIT_HOME ? resolve(workspaceRoot, env.TUNEKIT_HOME) : join(workspaceRoot, '.tunekit'), 'tracking-buffer');
}

/** The local directory of a file-store URI (`file:/abs`, `file:///abs`, `file:rel`, or a plain path). */
export function fileStoreRoot(uri: string, workspaceRoot: string): string {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  const path = uri.startsWith('file:') ? uri.slice('file:'.length) : uri;
  return isAbsolute(path) ? path : resolve(workspaceRoot, path);
}

/**
 * Retry settings from MLflow's own variables, when set: MLFLOW_HTTP_REQUEST_MAX_RETRIES,
 * MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR (seconds; delays factor, 2*factor, 4*factor, ...),
 * MLFLOW_HTTP_REQUEST_TIMEOUT (seconds per request).
 */
export function httpOptionsFromEnv(env: NodeJS.ProcessEnv): NonNullable<ClientOptions['http']> {
  const number = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got '${text}'`);
    return value;
  };
  const out: NonNullable<ClientOptions['http']> = {};
  const retries = number('MLFLOW_HTTP_REQUEST_MAX_RETRIES');
  const factor = number('MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR');
  const timeout = number('MLFLOW_HTTP_REQUEST_TIMEOUT');
  if (retries !== undefined) out.maxRetries = Math.floor(retries);
  if (factor !== undefined) out.backoffMs = factor * 1000;
  if (timeout !== undefined) out.timeoutMs = timeout * 1000;
  return out;
}

export function createRestClient(uri: string, env: NodeJS.ProcessEnv, http?: ClientOptions['http']): RestClient {
  return new RestClient(uri, { ...httpOptionsFromEnv(env), ...http, authorization: authorizationHeader(env) });
}

export function createTrackingClient(options: ClientOptions): TrackingClient {
  const env = options.env ?? process.env;
  const uri = resolveTrackingUri(options);
  if (/^https?:\/\//i.test(uri)) {
    if (options.readOnly) return createRestClient(uri, env, options.http);
    return new BufferedRestClient(createRestClient(uri, env, options.http), {
      bufferDir: options.bufferDir ?? defaultBufferDir(options.workspaceRoot, env),
      onOffline: options.onOffline,
    });
  }
  if (/^[a-z][a-z0-9+.-]+:/i.test(uri) && !uri.startsWith('file:')) {
    throw new Error(
      `tracking URI '${uri}' is not supported: use a file store (file:./mlruns or a path) or an MLflow tracking server (http(s)://host:port)`,
    );
  }
  return new FileStoreClient(fileStoreRoot(uri, options.workspaceRoot));
}
