/**
 * The runtime fingerprint compute stages put in their cache key and run record: which backend the
 * selection WOULD choose and the tfjs versions, computed from the environment and package files only
 * (never loads tfjs-node nor initialises wasm, so it is cheap enough for the parent process).
 */
import { forcedBackend, type BackendName } from './names.ts';
import { packageVersion, tfjsNodeBindingPresent } from './packages.ts';
import { FAST_KERNELS_VERSION } from '../kernels/version.ts';
import { OPS_VERSION } from '../ops/version.ts';
import { chooseGemm } from '../kernels/gemm.ts';
import { chooseNativeKernels, NATIVE_KERNELS_VERSION } from '../kernels/native/select.ts';

export interface RuntimeFingerprint {
  backend: BackendName;
  /** @tensorflow/tfjs-core version (the numerics live there and in the backend package). */
  tfjs: string;
  /** Version of the package that provides the backend. */
  backendPackage: string;
  /** TuneKit's ops (all backends), bumped whenever an op's numerics change (e.g. dropout masks). */
  ops: string;
  /** TuneKit's fast-kernel set (wasm), bumped whenever a fast path's numerics change. */
  fastKernels?: string;
  /** wasm: the matMul engine, e.g. `openblas 0.3.21 SkylakeX` or `xnnpack` (kernels/gemm.ts). */
  gemm?: string;
  /** wasm with `@tunekit/native`'s element-wise kernels (native GELU differs from wasm's): their version. */
  nativeKernels?: string;
  platform: string;
  arch: string;
}

const BACKEND_PACKAGE: Record<BackendName, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** The backend `selectBackend()` would pick, predicted without loading anything. */
export function predictBackend(env: NodeJS.ProcessEnv = process.env): BackendName {
  const forced = forcedBackend(env);
  if (forced) return forced;
  if (tfjsNodeBindingPresent()) return 'tensorflow';
  if (packageVersion(BACKEND_PACKAGE.wasm)) return 'wasm';
  return 'cpu';
}

export function runtimeFingerprint(env: NodeJS.ProcessEnv = process.env): RuntimeFingerprint {
  const backend = predictBackend(env);
  const tfjs = packageVersion('@tensorflow/tfjs-core');
  if (!tfjs) throw new Error('@tensorflow/tfjs-core is not installed');
  return {
    backend,
    tfjs,
    backendPackage: `${BACKEND_PACKAGE[backend]}@${packageVersion(BACKEND_PACKAGE[backend]) ?? 'missing'}`,
    ops: OPS_VERSION,
    ...(backend === 'wasm' ? { fastKernels: FAST_KERNELS_VERSION, gemm: chooseGemm(env).detail, ...(chooseNativeKernels(env) ? { nativeKernels: NATIVE_KERNELS_VERSION } : {}) } : {}),
    platform: process.platform,
    arch: process.arch,
  };
}

/** Ready-made `fingerprint` hook for compute stages' `defineStage({ fingerprint })`. */
export function fingerprint(): Record<string, unknown> {
  return { ...runtimeFingerprint() };
}
