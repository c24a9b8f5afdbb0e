/**
 * Native CPU kernels over float32 data inside a typed array (the wasm backend's heap), from the
 * Node-API addon built at install (`native/*.c`): OpenBLAS's sgemm (needs libopenblas.so.0 at run
 * time) and element-wise kernels (LayerNorm, GELU, the dropout mask; need nothing). Each loader
 * returns undefined, with the reason in the matching status, where its part cannot be used.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SkipgramKernels } from './skipgram.ts';

export { SKIPGRAM_VERSION, type SkipgramKernels } from './skipgram.ts';

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

/** Element-wise kernels; offsets count elements of `data`, every range is checked. */
export interface NativeKernels {
  /** LayerNorm over rows of n (float64 accumulation; bit-identical to compute's JavaScript kernel). */
  layerNormForward(data: Float32Array, x: number, gamma: number, beta: number, y: number, mean: number, rstd: number, rows: number, n: number, eps: number): void;
  layerNormBackward(data: Float32Array, dy: number, x: number, gamma: number, mean: number, rstd: number, dx: number, dGamma: number, dBeta: number, rows: number, n: number): void;
  /** y = x·Φ(x) (exact erf form) and dx = dy·(Φ(x) + x·φ(x)). */
  gelu(data: Float32Array, x: number, y: number, count: number): void;
  geluGrad(data: Float32Array, dy: number, x: number, dx: number, count: number): void;
  /** compute's counter-hash dropout mask (0 or 1/(1−rate)), bit-identical to its JavaScript version. */
  dropoutMask(data: Float32Array, out: number, count: number, rate: number, seed: number): void;
}

interface Addon extends Omit<OpenBlas, 'info'>, NativeKernels, SkipgramKernels {
  openblasInfo(): { available: boolean; error?: string; config?: string; corename?: string; threads?: number };
}

export type OpenBlasStatus = { available: true; config: string; corename: string } | { available: false; reason: string };
export type NativeStatus = { available: true } | { available: false; reason: string };

export const ADDON_PATH = join(dirname(fileURLToPath(import.meta.url)), '../build/Release/tunekit_native.node');

let loaded: { addon?: Addon; status: NativeStatus } | undefined;

function loadAddon(): { addon?: Addon; status: NativeStatus } {
  if (loaded) return loaded;
  if (!existsSync(ADDON_PATH)) {
    return (loaded = { status: { available: false, reason: `addon not built (${ADDON_PATH} missing; npm run build:native -w @tunekit/native)` } });
  }
  try {
    return (loaded = { addon: createRequire(import.meta.url)(ADDON_PATH) as Addon, status: { available: true } });
  } catch (error) {
    return (loaded = { status: { available: false, reason: `addon does not load: ${(error as Error).message.split('\n')[0]}` } });
  }
}

/** Whether the addon itself loads (the element-wise kernels need nothing else). */
export function nativeStatus(): NativeStatus {
  return loadAddon().status;
}

export function loadNativeKernels(): NativeKernels | undefined {
  return loadAddon().addon;
}

export function openBlasStatus(): OpenBlasStatus {
  const { addon, status } = loadAddon();
  if (!addon) return status as OpenBlasStatus;
  const info = addon.openblasInfo();
  if (!info.available) return { available: false, reason: info.error ?? 'OpenBLAS unavailable' };
  return { available: true, config: info.config!, corename: info.corename! };
}

/** The OpenBLAS binding, or undefined when it cannot be used here (see `openBlasStatus`). */
export function loadOpenBlas(): OpenBlas | undefined {
  const { addon } = loadAddon();
  if (!addon || !openBlasStatus().available) return undefined;
  return { sgemm: addon.sgemm, setThreads: addon.setThreads, info: () => addon.openblasInfo() as { config: string; corename: string; threads: number } };
}

/** word2vec skip-gram (`native/skipgram.c`), or undefined when the addon (or a build with it) is absent. */
export function loadSkipgram(): SkipgramKernels | undefined {
  const { addon } = loadAddon();
  return typeof addon?.skipgramTrain === 'function' ? addon : undefined;
}
