/** The tfjs backends TuneKit can run on, in order of preference. */
export const BACKEND_ORDER = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export const BACKEND_ENV = 'TUNEKIT_BACKEND';

/** Reads `TUNEKIT_BACKEND`; undefined when unset/empty, a clear error when it names no backend. */
export function forcedBackend(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const raw = env[BACKEND_ENV]?.trim();
  if (!raw) return undefined;
  if ((BACKEND_ORDER as readonly string[]).includes(raw)) return raw as BackendName;
  throw new Error(`${BACKEND_ENV}="${raw}" is not a backend: expected one of ${BACKEND_ORDER.join(', ')}`);
}
