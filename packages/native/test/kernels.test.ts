import { describe, expect, it } from '@jest/globals';
import { loadNativeKernels, nativeStatus, type NativeKernels } from '../src/index.ts';

// Skipped where the addon did not build, unless TUNEKIT_NATIVE=1 requires it (CI does).
const suite = nativeStatus().available || process.env.TUNEKIT_NATIVE === '1' ? describe : describe.skip;

function kernels(): NativeKernels {
  const k = loadNativeKernels();
  if (!k) throw new Error(`native kernels required but unavailable: ${JSON.stringify(nativeStatus())}`);
  return k;
}

const call = (name: keyof NativeKernels, ...args: unknown[]) => (kernels()[name] as unknown as (...a: unknown[]) => void)(...args);

suite('native element-wise kernels', () => {
  it('LayerNorm normalises each row (mean 0, variance 1 before γ, β) and returns mean and 1/std', () => {
    const [rows, n] = [3, 8];
    const data = new Float32Array(rows * n * 2 + 2 * n + 2 * rows);
    for (let i = 0; i < rows * n; i++) data[i] = Math.sin(i) * 4 + i / 5;
    const [gamma, beta, y, mean, rstd] = [rows * n, rows * n + n, rows * n + 2 * n, 2 * rows * n + 2 * n, 2 * rows * n + 2 * n + rows];
    data.fill(1, gamma, gamma + n);
    kernels().layerNormForward(data, 0, gamma, beta, y, mean, rstd, rows, n, 0);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(data.subarray(y + r * n, y + (r + 1) * n));
      const mu = Array.from(data.subarray(r * n, (r + 1) * n)).reduce((a, b) => a + b) / n;
      expect(Math.abs(row.reduce((a, b) => a + b) / n)).toBeLessThan(1e-6);
      expect(Math.abs(row.reduce((a, b) => a + b * b, 0) / n - 1)).toBeLessThan(1e-5);
      expect(data[mean + r]).toBeCloseTo(mu, 5);
    }
  });

  it('GELU at known points: gelu(0) = 0, gelu(x) ≈ x for large x, gelu′(0) = 0.5', () => {
    const data = new Float32Array([0, 10, -10, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
    kernels().gelu(data, 0, 4, 4);
    expect(Array.from(data.subarray(4, 7))).toEqual([0, 10, -0]);
    expect(data[7]).toBeCloseTo(0.8413447, 6); // 1·Φ(1)
    kernels().geluGrad(data, 8, 0, 12, 4);
    expect(data[12]).toBeCloseTo(0.5, 7);
    expect(data[15]).toBeCloseTo(0.8413447 + 0.2419707, 6); // Φ(1) + φ(1)
  });

  it('draws a dropout mask of 0 and 1/(1 − rate) at about the rate', () => {
    const data = new Float32Array(100_000);
    kernels().dropoutMask(data, 0, data.length, 0.25, 9);
    const kept = data.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(Math.abs(kept.length / data.length - 0.75)).toBeLessThan(0.01);
  });

  it.each([
    ['layerNormForward', [0, 0, 0, 0, 0, 0, 3, 8, 1e-5], /x lies outside the array/],
    ['layerNormBackward', [0, 0, 0, 0, 0, 20, 0, 0, 1, 8], /dx lies outside the array/],
    ['gelu', [0, 10, 8], /y lies outside the array/],
    ['geluGrad', [-1, 0, 0, 4], /dy lies outside the array/],
    ['dropoutMask', [0, 17, 0.1, 1], /out lies outside the array/],
    ['dropoutMask', [0, 4, 1, 1], /rate must be in \[0, 1\)/],
    ['dropoutMask', [0, 4, 0.1, -1], /seed must be a 32-bit unsigned integer/],
  ])('%s rejects bad arguments (%j) before touching memory', (name, args, message) => {
    const data = new Float32Array(16).fill(7);
    expect(() => call(name as keyof NativeKernels, data, ...(args as unknown[]))).toThrow(message as RegExp);
    expect(Array.from(data)).toEqual(new Array(16).fill(7));
  });

  it('rejects wrong argument counts and types', () => {
    expect(() => call('gelu', new Float32Array(4), 0, 0)).toThrow(/gelu: expects 4 arguments/);
    expect(() => call('gelu', new Int32Array(4), 0, 0, 1)).toThrow(/data must be a Float32Array/);
    expect(() => call('gelu', new Float32Array(4), '0', 0, 1)).toThrow(/must be numbers/);
  });
});
