/**
 * The compute path a run takes — backend, matMul engine, native kernels, data-parallel workers —
 * and, where a faster path exists but is missing here, how to get it. Predicted from the
 * environment and package files like `runtimeFingerprint()` (loads the native addon at most, never
 * tfjs), so the parent process can print it at the start of every run. `tunekit run` prints
 * `describeRuntime()`'s line and keeps the facts in the run record; `tunekit doctor` prints them
 * one per line.
 */
import { nativeStatus, openBlasStatus, type NativeStatus, type OpenBlasStatus } from '@tunekit/native';
import { predictBackend } from './fingerprint.ts';
import { BACKEND_ENV } from './names.ts';
import { packageVersion } from './packages.ts';
import { chooseGemm, GEMM_ENV } from '../kernels/gemm.ts';
import { chooseNativeKernels, NATIVE_ENV, nativeSetting } from '../kernels/native/select.ts';
import { defaultWorkerCount, WORKERS_ENV } from '../parallel/worker-count.ts';

export type RuntimeFacts = {
  /** `wasm`, `tensorflow` or `cpu` (what backend selection will pick). */
  backend: string;
  /** wasm: `openblas 0.3.21 Haswell` or `xnnpack`; other backends: `none` (their own matMuls); `unavailable` on a bad setting. */
  gemm: string;
  /** wasm: LayerNorm / GELU / dropout masks as native code from `@tunekit/native`. */
  nativeKernels: boolean;
  /** `@tunekit/native`: `loads`, or why not (not built, does not load). */
  addon: string;
  /** OpenBLAS as the addon loads it (`OpenBLAS 0.3.21 ... Haswell MAX_THREADS=64`), or why not. */
  openblas: string;
  /** Data-parallel replicas a training stage starts when its `workers` param is not set. */
  workers: number;
  /** Environment settings that chose the path (`TUNEKIT_GEMM=xnnpack`, ...): a deliberate choice, no hint. */
  settings: string[];
  /** A faster path that is missing here, what it costs, and how to get it. */
  hints: string[];
  /** Settings that make compute stages fail (e.g. `TUNEKIT_GEMM=openblas` without OpenBLAS). */
  problems: string[];
};

/** What the addon reports here; a parameter so that the hints for other machines can be tested. */
export interface NativeProbes {
  native: () => NativeStatus;
  openblas: () => OpenBlasStatus;
}

const SETTINGS = [BACKEND_ENV, GEMM_ENV, NATIVE_ENV, WORKERS_ENV, 'TUNEKIT_WASM_THREADS'];
const SLOWER = 'training steps 2.4-3.8x slower';

function attempt<T>(problems: string[], read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    problems.push((error as Error).message);
    return fallback;
  }
}

/** What is missing on the wasm path with native code allowed, and how to get it. */
function wasmHints(env: NodeJS.ProcessEnv, probes: NativeProbes): string[] {
  if (nativeSetting(env) === false) return [];
  const native = probes.native();
  if (!native.available) {
    const built = !native.reason.startsWith('addon not built');
    return [
      `@tunekit/native ${built ? `does not load (${native.reason})` : 'not built'}: matMuls on wasm SIMD (XNNPACK), LayerNorm/GELU in wasm, ${SLOWER}; ` +
        `${built ? '' : 'install a C compiler (apt-get install g++ make python3), then '}npm run build:native -w @tunekit/native`,
    ];
  }
  const blas = probes.openblas();
  if (!blas.available && !env[GEMM_ENV]?.trim()) {
    return [`OpenBLAS not found (${blas.reason}): matMuls on wasm SIMD (XNNPACK), ${SLOWER}; install with apt-get install libopenblas0-pthread (no rebuild needed)`];
  }
  return [];
}

export function runtimeFacts(env: NodeJS.ProcessEnv = process.env, probes: NativeProbes = { native: nativeStatus, openblas: openBlasStatus }): RuntimeFacts {
  const problems: string[] = [];
  const hints: string[] = [];
  const backend = attempt(problems, () => predictBackend(env), 'wasm');
  let gemm = 'none';
  let nativeKernels = false;
  if (backend === 'wasm') {
    gemm = attempt(problems, () => chooseGemm(env).detail, 'unavailable');
    nativeKernels = attempt(problems, () => chooseNativeKernels(env) !== undefined, false);
    hints.push(...attempt(problems, () => wasmHints(env, probes), []));
  } else if (backend === 'cpu' && !env[BACKEND_ENV]?.trim() && !packageVersion('@tensorflow/tfjs-backend-wasm')) {
    hints.push(`@tensorflow/tfjs-backend-wasm not installed: everything on the plain JavaScript backend, many times slower; npm ci`);
  }
  const workers = attempt(problems, () => defaultWorkerCount(env), 1);
  const native = probes.native();
  const blas = probes.openblas();
  const addon = native.available ? 'loads' : native.reason;
  const openblas = blas.available ? blas.config : `not available: ${blas.reason}`;
  const settings = SETTINGS.filter((name) => env[name]?.trim()).map((name) => `${name}=${env[name]!.trim()}`);
  return { backend, gemm, nativeKernels, addon, openblas, workers, settings, hints, problems: [...new Set(problems)] };
}

/** One line: `compute: wasm backend, gemm openblas 0.3.21 Haswell, native kernels on, 2 workers`, then hints and problems. */
export function describeRuntime(facts: RuntimeFacts): string {
  const parts = [`${facts.backend} backend`, `gemm ${facts.gemm}`, `native kernels ${facts.nativeKernels ? 'on' : 'off'}`, `${facts.workers} data-parallel worker${facts.workers === 1 ? '' : 's'}`];
  const settings = facts.settings.length ? ` (${facts.settings.join(' ')})` : '';
  const notes = [...facts.problems.map((problem) => `problem: ${problem}`), ...facts.hints];
  return `compute: ${parts.join(', ')}${settings}${notes.length ? ` — ${notes.join('; ')}` : ''}`;
}
