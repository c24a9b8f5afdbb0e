/**
 * Backend selection: `TUNEKIT_BACKEND` forces one; otherwise the first of tensorflow (tfjs-node),
 * wasm, cpu that loads. Selection happens once per process; later calls return the same result.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_ORDER, forcedBackend, type BackendName } from './names.ts';
import { wasmBinaryDir } from './packages.ts';
import { withThreadedWasm } from './wasm-threads.ts';
import { registerFastKernels, registerMissingKernels } from '../kernels/register.ts';
import { activeGemm, openBlasDetail } from '../kernels/gemm.ts';

/** Loads a backend's package and registers it with tfjs; throws when it cannot. */
export type BackendLoader = () => Promise<void>;

export interface SelectOptions {
  env?: NodeJS.ProcessEnv;
  /** Replaces the package loaders (tests simulate a tfjs-node that does not load). */
  loaders?: Partial<Record<BackendName, BackendLoader>>;
  /** Register TuneKit's fast kernels on wasm (default true). */
  fastKernels?: boolean;
  /**
   * XNNPACK threads on wasm: 1 = the single-threaded SIMD build; more starts the threaded-SIMD build
   * (see wasm-threads.ts). Default: `TUNEKIT_WASM_THREADS`, else 1 (threads are opt-in: see the README).
   */
  wasmThreads?: number;
}

export interface SelectedBackend {
  backend: BackendName;
  /** Threads the backend computes with (1 for cpu and single-threaded wasm). */
  threads: number;
  /** wasm with fast kernels: the matMul engine (`openblas 0.3.21 SkylakeX`, `xnnpack`); else absent. */
  gemm?: string;
  /** Why earlier candidates were skipped, e.g. `tensorflow: Cannot find module ...`. */
  skipped: string[];
}

export const defaultLoaders: Record<BackendName, BackendLoader> = {
  async tensorflow() {
    // Optional dependency: absent or without its native binding where libtensorflow could not be fetched.
    const name = '@tensorflow/tfjs-node';
    await import(name);
  },
  async wasm() {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Node cannot fetch the binaries relative to the bundle: point at the installed package.
    wasm.setWasmPaths(wasmBinaryDir());
  },
  async cpu() {
    await import('@tensorflow/tfjs-backend-cpu');
  },
};

let current: Promise<SelectedBackend> | undefined;

/** Select (once per process) and activate the backend. */
export function selectBackend(options: SelectOptions = {}): Promise<SelectedBackend> {
  current ??= chooseBackend(options);
  return current;
}

/** Forget the cached selection (tests). */
export function resetBackendSelection(): void {
  current = undefined;
}

/** The selection itself, without the per-process cache. */
export async function chooseBackend(options: SelectOptions = {}): Promise<SelectedBackend> {
  const loaders = { ...defaultLoaders, ...options.loaders };
  const forced = forcedBackend(options.env ?? process.env);
  const candidates: readonly BackendName[] = forced ? [forced] : BACKEND_ORDER;
  const skipped: string[] = [];
  await registerGradients();
  for (const name of candidates) {
    try {
      await loaders[name]();
      const threads = name === 'wasm' ? wasmThreads(options) : 1;
      const activate = async () => {
        if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
      };
      if (threads > 1) await startThreadedWasm(threads, activate);
      else await activate();
      await tf.ready();
      if (name === 'wasm') {
        if (options.fastKernels === false) registerMissingKernels();
        else registerFastKernels();
      }
      // tfjs-backend-cpu greets Node users with advice to install tfjs-node on first write; we chose already.
      if (name === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
      const gemm = name === 'wasm' && options.fastKernels !== false ? activeGemm() : undefined;
      // More wasm threads asked for: OpenBLAS computes the matMuls with as many (default 1; `gemm.detail` says so).
      let gemmDetail = gemm?.detail;
      if (gemm?.openblas && threads > 1) {
        gemm.openblas.setThreads(threads);
        const info = gemm.openblas.info();
        gemmDetail = openBlasDetail(info.config, info.corename, info.threads);
      }
      return { backend: name, threads: backendThreads(name), ...(gemmDetail ? { gemm: gemmDetail } : {}), skipped };
    } catch (error) {
      const reason = `${name}: ${(error as Error).message.split('\n')[0]}`;
      if (forced) throw new Error(`TUNEKIT_BACKEND=${forced} but that backend does not load (${reason})`);
      skipped.push(reason);
    }
  }
  throw new Error(`no tfjs backend loads: ${skipped.join('; ')}`);
}

function wasmThreads(options: SelectOptions): number {
  const raw = options.wasmThreads ?? (options.env ?? process.env).TUNEKIT_WASM_THREADS;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`TUNEKIT_WASM_THREADS="${String(raw)}" must be a positive integer`);
  return n;
}

async function startThreadedWasm(threads: number, activate: () => Promise<void>): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  await withThreadedWasm(threads, activate);
}

function backendThreads(name: BackendName): number {
  if (name !== 'wasm') return 1;
  const backend = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
  return backend.wasm?.tfjs?.getThreadsCount?.() ?? 1;
}

/**
 * tfjs-core alone registers no gradient functions; the `@tensorflow/tfjs` union package registers
 * all of them at load (tfjs-core's own `register_all_gradients` is not loadable as Node ESM).
 */
export async function registerGradients(): Promise<void> {
  await import('@tensorflow/tfjs');
}
