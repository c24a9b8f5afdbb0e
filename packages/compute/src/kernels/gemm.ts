/**
 * Which engine runs the wasm backend's matMuls: OpenBLAS through `@tunekit/native` when its addon
 * built and libopenblas loads (native AVX2/AVX-512 code, ~4x XNNPACK's wasm SIMD here), else
 * XNNPACK inside tfjs-backend-wasm. `TUNEKIT_GEMM=openblas|xnnpack` forces one (forcing openblas
 * where it cannot load is an error). The choice is part of the runtime fingerprint: the two engines
 * sum products in different orders, so results differ in the last bits. `TUNEKIT_NATIVE=0` (no
 * native code at all) means XNNPACK.
 */
import { loadOpenBlas, openBlasStatus, type OpenBlas } from '@tunekit/native';
import { NATIVE_ENV, nativeSetting } from './native/select.ts';

export const GEMM_ENV = 'TUNEKIT_GEMM';
export const GEMM_ENGINES = ['openblas', 'xnnpack'] as const;
export type GemmEngine = (typeof GEMM_ENGINES)[number];

export interface GemmChoice {
  engine: GemmEngine;
  /** e.g. `openblas 0.3.21 SkylakeX` (`, L2 512` when OPENBLAS_L2_SIZE is set, `, 2 threads` when OpenBLAS computes with more than one; see `openBlasDetail`), or `xnnpack`. */
  detail: string;
  /** OpenBLAS's computing threads (see `openBlasThreads`). */
  threads?: number;
  openblas?: OpenBlas;
}

export function chooseGemm(env: NodeJS.ProcessEnv = process.env): GemmChoice {
  const raw = env[GEMM_ENV]?.trim();
  if (raw && !(GEMM_ENGINES as readonly string[]).includes(raw)) {
    throw new Error(`${GEMM_ENV}="${raw}" is not a matMul engine: expected one of ${GEMM_ENGINES.join(', ')}`);
  }
  if (raw === 'xnnpack') return { engine: 'xnnpack', detail: 'xnnpack' };
  if (nativeSetting(env) === false) {
    if (raw === 'openblas') throw new Error(`${GEMM_ENV}=openblas needs the @tunekit/native addon, which ${NATIVE_ENV}=0 turns off`);
    return { engine: 'xnnpack', detail: 'xnnpack' };
  }
  const status = openBlasStatus();
  if (!status.available) {
    if (raw === 'openblas') throw new Error(`${GEMM_ENV}=openblas but OpenBLAS cannot be used: ${status.reason}`);
    return { engine: 'xnnpack', detail: 'xnnpack' };
  }
  const threads = openBlasThreads(env);
  return { engine: 'openblas', detail: openBlasDetail(status.config, status.corename, threads, env), threads, openblas: loadOpenBlas() };
}

/**
 * What decides OpenBLAS's numbers: version, kernel family (the CPU's, or OPENBLAS_CORETYPE's), the
 * L2 size its blocking uses when OPENBLAS_L2_SIZE overrides it, and threads when more than one (a
 * product may then be partitioned differently: not bit-identical). E.g.
 * `openblas 0.3.21 Haswell, L2 512, 2 threads`.
 */
export function openBlasDetail(config: string, corename: string, threads: number, env: NodeJS.ProcessEnv = process.env): string {
  const version = /OpenBLAS (\S+)/.exec(config)?.[1] ?? 'unknown';
  const l2 = env.OPENBLAS_L2_SIZE?.trim();
  return `openblas ${version} ${corename}${l2 ? `, L2 ${l2}` : ''}${threads > 1 ? `, ${threads} threads` : ''}`;
}

/**
 * OpenBLAS's threads: `TUNEKIT_WASM_THREADS` when > 1 (backend selection gives OpenBLAS as many),
 * else OpenBLAS's own `OPENBLAS_NUM_THREADS` / `OMP_NUM_THREADS`, else 1 (the addon's default).
 */
export function openBlasThreads(env: NodeJS.ProcessEnv = process.env): number {
  const positive = (raw: string | undefined) => (raw !== undefined && /^\d+$/.test(raw.trim()) && Number(raw) > 0 ? Number(raw) : undefined);
  const wasm = positive(env.TUNEKIT_WASM_THREADS);
  if (wasm && wasm > 1) return wasm;
  return positive(env.OPENBLAS_NUM_THREADS) ?? positive(env.OMP_NUM_THREADS) ?? 1;
}

let active: GemmChoice | undefined;

/** The engine the wasm BatchMatMul kernel uses in this process (chosen from the environment on first use). */
export function activeGemm(): GemmChoice {
  return (active ??= chooseGemm());
}

/** Switches the engine for later matMuls (tests compare the two in one process; the env decides otherwise). */
export function useGemm(engine: GemmEngine): GemmChoice {
  return (active = chooseGemm({ [GEMM_ENV]: engine }));
}
