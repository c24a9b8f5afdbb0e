import { describe, expect, it } from '@jest/globals';
import { loadOpenBlas, openBlasStatus } from '../src/index.ts';

// Where OpenBLAS cannot load, these tests are skipped — unless TUNEKIT_GEMM=openblas asks for it (CI does).
const required = process.env.TUNEKIT_GEMM === 'openblas';
const status = openBlasStatus();
const suite = status.available || required ? describe : describe.skip;

/** Deterministic values in [-1, 1). */
function fill(data: Float32Array, seed: number): void {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
}

/** The product in float64 from the definition, with Σ|a·b| per element (for the error bound). */
function reference(data: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean, a: number, b: number): { values: number[]; magnitudes: number[]; k: number } {
  const values: number[] = [];
  const magnitudes: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let magnitude = 0;
      for (let p = 0; p < k; p++) {
        const product = data[a + (ta ? p * m + i : i * k + p)] * data[b + (tb ? j * k + p : p * n + j)];
        sum += product;
        magnitude += Math.abs(product);
      }
      values.push(sum);
      magnitudes.push(magnitude);
    }
  }
  return { values, magnitudes, k };
}

/**
 * The float32 error bound of a k-term dot product in any summation order (Higham, Accuracy and
 * Stability of Numerical Algorithms, §3.1): |fl(Σ a·b) − Σ a·b| ≤ γ_k Σ|a·b|, γ_k = k·u / (1 − k·u),
 * u = 2^-24. It holds whatever blocking, kernel family (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) or
 * thread partition OpenBLAS picks, so the tests hold on every machine.
 */
function float32DotBound(k: number, magnitude: number): number {
  const u = 2 ** -24;
  return ((k * u) / (1 - k * u)) * magnitude;
}

function expectNear(actual: ArrayLike<number>, expected: { values: number[]; magnitudes: number[]; k: number }): void {
  expect(actual.length).toBe(expected.values.length);
  for (let i = 0; i < expected.values.length; i++) {
    expect(Math.abs(actual[i] - expected.values[i])).toBeLessThanOrEqual(float32DotBound(expected.k + 1, expected.magnitudes[i]));
  }
}

suite('OpenBLAS sgemm over a typed array', () => {
  const blas = () => {
    const api = loadOpenBlas();
    if (!api) throw new Error(`OpenBLAS required but unavailable: ${status.available ? '' : status.reason}`);
    return api;
  };

  it('reports its configuration and one computing thread by default', () => {
    const info = blas().info();
    expect(info.config).toMatch(/^OpenBLAS \d+\.\d+/);
    expect(info.corename.length).toBeGreaterThan(0);
    if (!process.env.OPENBLAS_NUM_THREADS && !process.env.OMP_NUM_THREADS) expect(info.threads).toBe(1);
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('batched products at offsets, transposeA=%s transposeB=%s, equal the float64 definition', (ta, tb) => {
    const [batch, m, n, k] = [3, 17, 9, 33];
    const [a, b, c] = [5, 5 + batch * m * k + 3, 5 + batch * (m * k + k * n) + 7];
    const data = new Float32Array(c + batch * m * n + 11);
    fill(data, 42);
    const guard = Array.from(data.slice(c + batch * m * n));
    blas().sgemm(data, batch, m, n, k, ta, tb, a, m * k, b, k * n, c, m * n);
    for (let g = 0; g < batch; g++) {
      expectNear(data.subarray(c + g * m * n, c + (g + 1) * m * n), reference(data, m, n, k, ta, tb, a + g * m * k, b + g * k * n));
    }
    expect(Array.from(data.slice(c + batch * m * n))).toEqual(guard); // nothing written past C
  });

  it('computes with 2 threads within the float32 bound, but not always bit-identically (so threads go into the cache key)', () => {
    // m = 512, n = 96, k = 700 with transA: OpenBLAS 0.3.21 partitions this one differently with 2 threads.
    const [m, n, k] = [512, 96, 700];
    const data = new Float32Array(m * k + k * n + m * n);
    fill(data, 3);
    const product = (threads: number) => {
      blas().setThreads(threads);
      blas().sgemm(data, 1, m, n, k, true, false, 0, 0, m * k, 0, m * k + k * n, 0);
      return Float32Array.from(data.subarray(m * k + k * n));
    };
    try {
      const [one, two] = [product(1), product(2)];
      const exact = reference(data, m, n, k, true, false, 0, m * k);
      // Each result is within γ_k Σ|a·b| of the exact product, so the two are within twice that.
      for (let i = 0; i < one.length; i++) {
        expect(Math.abs(one[i] - exact.values[i])).toBeLessThanOrEqual(float32DotBound(k + 1, exact.magnitudes[i]));
        expect(Math.abs(two[i] - exact.values[i])).toBeLessThanOrEqual(float32DotBound(k + 1, exact.magnitudes[i]));
      }
    } finally {
      blas().setThreads(1);
    }
  });

  it('broadcasts an operand with stride 0', () => {
    const [batch, m, n, k] = [4, 6, 5, 7];
    const data = new Float32Array(m * k + batch * k * n + batch * m * n);
    fill(data, 7);
    const [b, c] = [m * k, m * k + batch * k * n];
    blas().sgemm(data, batch, m, n, k, false, false, 0, 0, b, k * n, c, m * n);
    for (let g = 0; g < batch; g++) expectNear(data.subarray(c + g * m * n, c + (g + 1) * m * n), reference(data, m, n, k, false, false, 0, b + g * k * n));
  });

  it('writes zeros for an empty inner dimension and works on SharedArrayBuffer memory', () => {
    const data = new Float32Array(new SharedArrayBuffer(4 * 8)).fill(3);
    blas().sgemm(data, 1, 2, 2, 0, false, false, 0, 0, 0, 0, 4, 0);
    expect(Array.from(data)).toEqual([3, 3, 3, 3, 0, 0, 0, 0]);
  });

  it.each([
    ['C past the end', [1, 2, 2, 2, false, false, 0, 0, 0, 0, 14, 0], /outside the array/],
    ['A batch past the end', [3, 2, 2, 2, false, false, 0, 7, 0, 0, 0, 4], /outside the array/],
    ['a negative offset', [1, 2, 2, 2, false, false, -1, 0, 0, 0, 0, 0], /outside the array/],
    ['a broadcast output', [2, 2, 2, 2, false, false, 0, 0, 0, 0, 0, 0], /output is broadcast/],
    ['a negative size', [1, -2, 2, 2, false, false, 0, 0, 0, 0, 0, 0], /non-negative 32-bit sizes/],
  ])('rejects %s with a RangeError instead of touching memory', (_what, args, message) => {
    const data = new Float32Array(16).fill(2);
    const call = blas().sgemm as unknown as (...args: unknown[]) => void;
    // The addon's errors come from Node's realm, not Jest's: compare names, not constructors.
    expect(() => call(data, ...(args as unknown[]))).toThrow(expect.objectContaining({ name: 'RangeError', message: expect.stringMatching(message as RegExp) }) as never);
    expect(Array.from(data)).toEqual(new Array(16).fill(2));
  });

  it('rejects arrays that are not Float32Array and non-boolean flags', () => {
    const call = blas().sgemm as unknown as (...args: unknown[]) => void;
    expect(() => call(new Float64Array(8), 1, 1, 1, 1, false, false, 0, 0, 0, 0, 0, 0)).toThrow(/data must be a Float32Array/);
    expect(() => call(new Float32Array(8), 1, 1, 1, 1, 0, false, 0, 0, 0, 0, 0, 0)).toThrow(/must be booleans/);
    expect(() => call(new Float32Array(8), 1, 1, 1)).toThrow(/13 arguments/);
    expect(() => blas().setThreads(0)).toThrow(/n must be an integer in \[1, 256\]/);
  });
});

describe('openBlasStatus', () => {
  it('says why OpenBLAS is unavailable, or which build it is', () => {
    if (status.available) expect(status.config).toMatch(/^OpenBLAS/);
    else expect(status.reason).toMatch(/addon not built|does not load|libopenblas/);
  });
});
