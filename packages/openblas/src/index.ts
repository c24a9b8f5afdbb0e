/**
 * OpenBLAS's sgemm for float32 data inside a typed array (the wasm backend's heap), through the
 * Node-API addon built at install (`native/gemm.c`). `loadOpenBlas()` returns undefined, with the
 * reason in `openBlasStatus()`, when the addon was not built or libopenblas.so.0 is missing.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OpenBlas {
  /**
   * C[g] (m×n) = op(A[g]) · op(B[g]) for g < batch, row-major. A[g] is stored m×k (k×m when
   * `transA`), B[g] k×n (n×k when `transB`). Offsets and strides count elements of `data`; a
   * stride of 0 reuses one matrix for the whole batch (not for C). Out-of-range operands throw.
   */
  sgemm(data: Float32Array, batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, aOffset: number, aStride: number, bOffset: number, bStride: number, cOffset: number, cStride: number): void;
  /** OpenBLAS's computing threads (1 unless OPENBLAS_NUM_THREADS was set). */
  setThreads(n: number): void;
  /** e.g. `OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64`, `SkylakeX`, 1. */
  info(): { config: string; corename: string; threads: number };
}

interface Addon extends Omit<OpenBlas, 'info'> {
  info(): { available: boolean; error?: string; config?: string; corename?: string; threads?: number };
}

export type OpenBlasStatus = { available: true; config: string; corename: string } | { available: false; reason: string };

export const ADDON_PATH = join(dirname(fileURLToPath(import.meta.url)), '../build/Release/tunekit_openblas.node');

let loaded: { addon?: OpenBlas; status: OpenBlasStatus } | undefined;

function load(): { addon?: OpenBlas; status: OpenBlasStatus } {
  if (loaded) return loaded;
  if (!existsSync(ADDON_PATH)) {
    return (loaded = { status: { available: false, reason: `addon not built (${ADDON_PATH} missing; npm run build:native -w @tunekit/openblas)` } });
  }
  let addon: Addon;
  try {
    addon = createRequire(import.meta.url)(ADDON_PATH) as Addon;
  } catch (error) {
    return (loaded = { status: { available: false, reason: `addon does not load: ${(error as Error).message.split('\n')[0]}` } });
  }
  const info = addon.info();
  if (!info.available) return (loaded = { status: { available: false, reason: info.error ?? 'OpenBLAS unavailable' } });
  const api: OpenBlas = {
    sgemm: addon.sgemm,
    setThreads: addon.setThreads,
    info: () => addon.info() as { config: string; corename: string; threads: number },
  };
  return (loaded = { addon: api, status: { available: true, config: info.config!, corename: info.corename! } });
}

/** The binding, or undefined when it cannot be used here (see `openBlasStatus`). */
export function loadOpenBlas(): OpenBlas | undefined {
  return load().addon;
}

export function openBlasStatus(): OpenBlasStatus {
  return load().status;
}
