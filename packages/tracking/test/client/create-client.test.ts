import { describe, expect, test } from '@jest/globals';
import { createTrackingClient, defaultBufferDir, fileStoreRoot, httpOptionsFromEnv, resolveTrackingUri } from '../../src/client/create-client.ts';
import { FileStoreClient } from '../../src/file-store/file-store.ts';
import { BufferedRestClient } from '../../src/offline/buffered-client.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('tracking URI resolution', () => {
  test('MLFLOW_TRACKING_URI wins over the pipeline tracking.uri', () => {
    expect(resolveTrackingUri({ workspaceRoot: '/ws', uri: 'file:./other', env: { MLFLOW_TRACKING_URI: 'http://h:5000' } })).toBe('http://h:5000');
  });

  test('the pipeline tracking.uri is used when the variable is unset', () => {
    expect(resolveTrackingUri({ workspaceRoot: '/ws', uri: 'file:./other', env: {} })).toBe('file:./other');
  });

  test('the default is file:<workspaceRoot>/mlruns', () => {
    expect(resolveTrackingUri({ workspaceRoot: '/ws', env: {} })).toBe('file:/ws/mlruns');
  });

  test('file URIs and relative paths resolve against the workspace root', () => {
    expect(fileStoreRoot('file:./mlruns', '/ws')).toBe('/ws/mlruns');
    expect(fileStoreRoot('file:///abs/mlruns', '/ws')).toBe('/abs/mlruns');
    expect(fileStoreRoot('runs/here', '/ws')).toBe('/ws/runs/here');
  });

  test('the offline buffer lives under TUNEKIT_HOME, else .tunekit at the workspace root', () => {
    expect(defaultBufferDir('/ws', {})).toBe('/ws/.tunekit/tracking-buffer');
    expect(defaultBufferDir('/ws', { TUNEKIT_HOME: '/store' })).toBe('/store/tracking-buffer');
  });

  test('http URIs give the buffered REST client, file URIs the file store', () => {
    const dir = tempDir();
    try {
      expect(createTrackingClient({ workspaceRoot: dir.path, env: {} })).toBeInstanceOf(FileStoreClient);
      expect(createTrackingClient({ workspaceRoot: dir.path, env: { MLFLOW_TRACKING_URI: 'http://127.0.0.1:1' } })).toBeInstanceOf(BufferedRestClient);
    } finally {
      dir.remove();
    }
  });

  test('an unsupported scheme is a clear error', () => {
    expect(() => createTrackingClient({ workspaceRoot: '/ws', env: { MLFLOW_TRACKING_URI: 'sqlite:///mlflow.db' } })).toThrow(
      "tracking URI 'sqlite:///mlflow.db' is not supported",
    );
  });

  test("MLflow's retry variables set retries, backoff and timeout", () => {
    expect(httpOptionsFromEnv({ MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0', MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.25', MLFLOW_HTTP_REQUEST_TIMEOUT: '10' })).toEqual({
      maxRetries: 0,
      backoffMs: 250,
      timeoutMs: 10000,
    });
    expect(httpOptionsFromEnv({})).toEqual({});
    expect(() => httpOptionsFromEnv({ MLFLOW_HTTP_REQUEST_MAX_RETRIES: 'many' })).toThrow("MLFLOW_HTTP_REQUEST_MAX_RETRIES must be a non-negative number, got 'many'");
  });
});
