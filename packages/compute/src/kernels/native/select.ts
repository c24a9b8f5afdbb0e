/**
 * Whether the wasm backend's element-wise kernels (LayerNorm, GELU, dropout masks) run as native code
 * from `@tunekit/native`. `TUNEKIT_NATIVE=0` turns the addon off altogether (matMuls on XNNPACK too),
 * `TUNEKIT_NATIVE=1` requires it (an error where it does not load); unset: used when it loads.
 * LayerNorm and dropout masks are bit-identical either way; GELU is not (C library erff/expf vs
 * wasm's), hence `NATIVE_KERNELS_VERSION` in the runtime fingerprint.
 */
import { loadNativeKernels, nativeStatus, type NativeKernels } from '@tunekit/native';

export const NATIVE_ENV = 'TUNEKIT_NATIVE';
/** Bump whenever a native kernel's numerics change: part of the runtime fingerprint (cache key). */
export const NATIVE_KERNELS_VERSION = '1';

/** Reads `TUNEKIT_NATIVE`: false = off, true = required, undefined = when available. */
export function nativeSetting(env: NodeJS.ProcessEnv = process.env): boolean | undefined {
  const raw = env[NATIVE_ENV]?.trim();
  if (!raw) return undefined;
  if (raw === '0' || raw === '1') return raw === '1';
  throw new Error(`${NATIVE_ENV}="${raw}" must be 0 (off) or 1 (required)`);
}

/** The native kernels the environment asks for, or undefined; throws when required but unavailable. */
export function chooseNativeKernels(env: NodeJS.ProcessEnv = process.env): NativeKernels | undefined {
  const setting = nativeSetting(env);
  if (setting === false) return undefined;
  const status = nativeStatus();
  if (!status.available) {
    if (setting) throw new Error(`${NATIVE_ENV}=1 but the @tunekit/native addon cannot be used: ${status.reason}`);
    return undefined;
  }
  return loadNativeKernels();
}

let active: { kernels: NativeKernels | undefined } | undefined;

/** The native kernels wasm kernels use in this process (decided from the environment on first use). */
export function activeNativeKernels(): NativeKernels | undefined {
  return (active ??= { kernels: chooseNativeKernels() }).kernels;
}

/** Turns them on or off for later kernels (tests compare both in one process). */
export function useNativeKernels(on: boolean): NativeKernels | undefined {
  return (active = { kernels: chooseNativeKernels({ [NATIVE_ENV]: on ? '1' : '0' }) }).kernels;
}
