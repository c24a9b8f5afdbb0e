/**
 * The compute path a run announces (`tunekit run`'s first line, its run record, `tunekit doctor`):
 * facts from the environment, and a hint for each faster path missing here. The hint tests pass
 * statuses the addon reports on other machines (not built, no OpenBLAS) — this machine's own are
 * used everywhere else.
 */
import { describe, expect, it } from '@jest/globals';
import { openBlasStatus } from '@tunekit/native';
import { describeRuntime, runtimeFacts, type NativeProbes } from '../../src/backend/runtime-facts.ts';
import { chooseGemm } from '../../src/kernels/gemm.ts';

/** The settings these tests control, unset (CI sets TUNEKIT_NATIVE=1 TUNEKIT_GEMM=openblas). */
const CLEAN = { TUNEKIT_BACKEND: 'wasm', TUNEKIT_GEMM: '', TUNEKIT_NATIVE: '', TUNEKIT_WORKERS: '', TUNEKIT_WASM_THREADS: '' };

const NOT_BUILT: NativeProbes = {
  native: () => ({ available: false, reason: 'addon not built (/x/tunekit_native.node missing; npm run build:native -w @tunekit/native)' }),
  openblas: () => ({ available: false, reason: 'addon not built (/x/tunekit_native.node missing; npm run build:native -w @tunekit/native)' }),
};
const NO_OPENBLAS: NativeProbes = {
  native: () => ({ available: true }),
  openblas: () => ({ available: false, reason: 'libopenblas.so.0: cannot open shared object file' }),
};

describe('runtimeFacts', () => {
  it('names backend, gemm, native kernels, workers and the settings that chose them', () => {
    const facts = runtimeFacts({ ...CLEAN, TUNEKIT_NATIVE: '0', TUNEKIT_WORKERS: '3' });
    expect(facts).toMatchObject({ backend: 'wasm', gemm: 'xnnpack', nativeKernels: false, workers: 3, settings: ['TUNEKIT_BACKEND=wasm', 'TUNEKIT_NATIVE=0', 'TUNEKIT_WORKERS=3'], hints: [], problems: [] });
    expect(describeRuntime(facts)).toBe('compute: wasm backend, gemm xnnpack, native kernels off, 3 data-parallel workers (TUNEKIT_BACKEND=wasm TUNEKIT_NATIVE=0 TUNEKIT_WORKERS=3)');
  });

  it('reports the gemm engine backend selection uses (OpenBLAS with its build and kernel family where it loads)', () => {
    const facts = runtimeFacts(CLEAN);
    expect(facts.gemm).toBe(chooseGemm(CLEAN).detail);
    if (openBlasStatus().available) expect(facts.gemm).toMatch(/^openblas \d+\.\d+\.\d+ \w+/);
  });

  it('one worker is singular', () => {
    expect(describeRuntime(runtimeFacts({ ...CLEAN, TUNEKIT_NATIVE: '0', TUNEKIT_WORKERS: '1' }))).toContain(', 1 data-parallel worker (');
  });

  it('other backends have no wasm gemm nor native kernels', () => {
    expect(runtimeFacts({ ...CLEAN, TUNEKIT_BACKEND: 'cpu' })).toMatchObject({ backend: 'cpu', gemm: 'none', nativeKernels: false, hints: [] });
  });

  it('invalid settings become problems (said in the line), not a crash', () => {
    const facts = runtimeFacts({ ...CLEAN, TUNEKIT_GEMM: 'fast', TUNEKIT_WORKERS: 'many' });
    expect(facts.problems).toEqual([
      'TUNEKIT_GEMM="fast" is not a matMul engine: expected one of openblas, xnnpack',
      'TUNEKIT_WORKERS="many" is not a worker count: expected an integer from 1 to 64',
    ]);
    expect(facts.gemm).toBe('unavailable');
    expect(describeRuntime(facts)).toContain(' — problem: TUNEKIT_GEMM="fast" is not a matMul engine');
  });
});

describe('hints for a missing faster path', () => {
  it('addon not built: says so, what it costs, and how to build it', () => {
    const [hint, ...more] = runtimeFacts(CLEAN, NOT_BUILT).hints;
    expect(more).toEqual([]);
    expect(hint).toBe(
      '@tunekit/native not built: matMuls on wasm SIMD (XNNPACK), LayerNorm/GELU in wasm, training steps 2.4-3.8x slower; ' +
        'install a C compiler (apt-get install g++ make python3), then npm run build:native -w @tunekit/native',
    );
  });

  it('OpenBLAS missing: says so, what it costs, and the package to install', () => {
    expect(runtimeFacts(CLEAN, NO_OPENBLAS).hints).toEqual([
      'OpenBLAS not found (libopenblas.so.0: cannot open shared object file): matMuls on wasm SIMD (XNNPACK), training steps 2.4-3.8x slower; install with apt-get install libopenblas0-pthread (no rebuild needed)',
    ]);
  });

  it('no hint where native code is turned off or XNNPACK chosen on purpose', () => {
    expect(runtimeFacts({ ...CLEAN, TUNEKIT_NATIVE: '0' }, NOT_BUILT).hints).toEqual([]);
    expect(runtimeFacts({ ...CLEAN, TUNEKIT_GEMM: 'xnnpack' }, NO_OPENBLAS).hints).toEqual([]);
  });

  it('the hint follows the facts in the one line', () => {
    const line = describeRuntime(runtimeFacts({ ...CLEAN, TUNEKIT_GEMM: 'xnnpack', TUNEKIT_WORKERS: '2' }, NOT_BUILT));
    expect(line).toMatch(/^compute: wasm backend, gemm xnnpack, native kernels (on|off), 2 data-parallel workers \(TUNEKIT_BACKEND=wasm TUNEKIT_GEMM=xnnpack TUNEKIT_WORKERS=2\) — @tunekit\/native not built: /);
  });
});
