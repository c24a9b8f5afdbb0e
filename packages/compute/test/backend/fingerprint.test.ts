import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { fingerprint, predictBackend, runtimeFingerprint } from '../../src/backend/fingerprint.ts';
import { tfjsNodeBindingPresent } from '../../src/backend/packages.ts';
import { FAST_KERNELS_VERSION } from '../../src/kernels/version.ts';
import { OPS_VERSION } from '../../src/ops/version.ts';
import { nativeStatus, openBlasStatus } from '@tunekit/native';
import { NATIVE_KERNELS_VERSION } from '../../src/kernels/native/select.ts';
import { openBlasDetail, openBlasThreads } from '../../src/kernels/gemm.ts';

describe('runtimeFingerprint', () => {
  it('records the forced backend, the installed tfjs-core version, the backend package version and the ops version', () => {
    expect(runtimeFingerprint({ TUNEKIT_BACKEND: 'cpu' })).toEqual({
      backend: 'cpu',
      tfjs: tf.version_core,
      backendPackage: `@tensorflow/tfjs-backend-cpu@${tf.version_core}`,
      ops: OPS_VERSION,
      platform: process.platform,
      arch: process.arch,
    });
  });

  it('includes the fast-kernel version for wasm (their numerics are part of the cache key)', () => {
    const fp = runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm' });
    expect(fp.backend).toBe('wasm');
    expect(fp.fastKernels).toBe(FAST_KERNELS_VERSION);
    expect(fp.backendPackage).toBe(`@tensorflow/tfjs-backend-wasm@${tf.version_core}`);
  });

  it('records the wasm matMul engine, so OpenBLAS and XNNPACK results never share a cache entry', () => {
    expect(runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: 'xnnpack' }).gemm).toBe('xnnpack');
    const status = openBlasStatus();
    if (status.available) expect(runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: 'openblas' }).gemm).toMatch(/^openblas \S+ \S+(, L2 \S+)?$/);
    else expect(() => runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: 'openblas' })).toThrow(/TUNEKIT_GEMM=openblas but OpenBLAS cannot be used/);
    expect(() => runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: 'mkl' })).toThrow(/TUNEKIT_GEMM="mkl" is not a matMul engine: expected one of openblas, xnnpack/);
    expect(runtimeFingerprint({ TUNEKIT_BACKEND: 'cpu', TUNEKIT_GEMM: 'xnnpack' }).gemm).toBeUndefined();
  });

  it('adds OpenBLAS threads to the engine when more than one computes (results may differ in the last bits)', () => {
    expect(openBlasThreads({})).toBe(1);
    expect(openBlasThreads({ TUNEKIT_WASM_THREADS: '2' })).toBe(2);
    expect(openBlasThreads({ OPENBLAS_NUM_THREADS: '3' })).toBe(3);
    expect(openBlasThreads({ TUNEKIT_WASM_THREADS: '1', OMP_NUM_THREADS: '4' })).toBe(4);
    if (!openBlasStatus().available) return;
    const one = runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: 'openblas' }).gemm;
    const two = runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: 'openblas', TUNEKIT_WASM_THREADS: '2' }).gemm;
    expect(one).not.toMatch(/threads/);
    expect(two).toBe(`${one}, 2 threads`);
  });

  it('names the kernel family and the L2 size OpenBLAS computes with (both change the numbers)', () => {
    expect(openBlasDetail('OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH', 'Haswell', 1, {})).toBe('openblas 0.3.21 Haswell');
    expect(openBlasDetail('OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH', 'Haswell', 1, { OPENBLAS_L2_SIZE: '512' })).toBe('openblas 0.3.21 Haswell, L2 512');
    expect(openBlasDetail('OpenBLAS 0.3.21', 'SkylakeX', 2, { OPENBLAS_L2_SIZE: '1024' })).toBe('openblas 0.3.21 SkylakeX, L2 1024, 2 threads');
    const status = openBlasStatus();
    if (!status.available) return;
    // The core type this process's OpenBLAS runs (the user's OPENBLAS_CORETYPE when set, else the addon's pick).
    const gemm = runtimeFingerprint({ ...process.env, TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: 'openblas' }).gemm!;
    expect(gemm).toContain(` ${status.corename}`);
    if (process.env.OPENBLAS_CORETYPE) expect(status.corename.toLowerCase()).toBe(process.env.OPENBLAS_CORETYPE.toLowerCase());
    if (process.env.OPENBLAS_L2_SIZE) expect(gemm).toContain(`, L2 ${process.env.OPENBLAS_L2_SIZE.trim()}`);
  });

  it('records the native element-wise kernels (their GELU differs from wasm\'s) and TUNEKIT_NATIVE=0 turns all native code off', () => {
    const off = runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm', TUNEKIT_NATIVE: '0' });
    expect(off.nativeKernels).toBeUndefined();
    expect(off.gemm).toBe('xnnpack');
    if (nativeStatus().available) expect(runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm', TUNEKIT_NATIVE: '1' }).nativeKernels).toBe(NATIVE_KERNELS_VERSION);
    else expect(() => runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm', TUNEKIT_NATIVE: '1' })).toThrow(/TUNEKIT_NATIVE=1 but the @tunekit\/native addon cannot be used/);
    expect(() => runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm', TUNEKIT_NATIVE: '0', TUNEKIT_GEMM: 'openblas' })).toThrow(/TUNEKIT_NATIVE=0 turns off/);
    expect(runtimeFingerprint({ TUNEKIT_BACKEND: 'cpu', TUNEKIT_NATIVE: '1' }).nativeKernels).toBeUndefined();
  });

  it('predicts tensorflow only when tfjs-node is installed with its native binding, else wasm', () => {
    expect(predictBackend({})).toBe(tfjsNodeBindingPresent() ? 'tensorflow' : 'wasm');
  });

  it('changes when the backend changes, so cache keys of compute stages do too', () => {
    expect(runtimeFingerprint({ TUNEKIT_BACKEND: 'cpu' })).not.toEqual(runtimeFingerprint({ TUNEKIT_BACKEND: 'wasm' }));
  });

  it('is offered as a plain-data `fingerprint()` hook for defineStage', () => {
    expect(JSON.parse(JSON.stringify(fingerprint()))).toEqual(fingerprint());
  });
});
