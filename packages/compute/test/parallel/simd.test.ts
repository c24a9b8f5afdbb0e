import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { adamwUpdateInto } from '../../src/kernels/adamw/math.ts';
import { allocateShared, sharedLayout } from '../../src/parallel/memory.ts';
import { adamwSimd, simdKernels } from '../../src/parallel/simd/kernels.ts';
import { assembleWat } from '../../scripts/wat.ts';
import { maxRelError, values } from '../helpers/backends.ts';

const wat = fileURLToPath(new URL('../../src/parallel/simd/kernels.wat', import.meta.url));

describe('data-parallel SIMD kernels (kernels.wat)', () => {
  it('kernels.wasm is exactly kernels.wat assembled (run `npm run build:wasm` after editing the .wat)', async () => {
    const assembled = await assembleWat(wat, await readFile(wat, 'utf8'));
    expect(Buffer.from(assembled).equals(await readFile(wat.replace(/\.wat$/, '.wasm')))).toBe(true);
  });

  // 4·k + 3 elements: the vector loop and the scalar tail both run; odd offsets: unaligned SIMD access.
  const n = 1027;
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const k = simdKernels(memory);
  const at = (index: number) => new Float32Array(memory.buffer, index * 4 + 4, n);
  const [a, b, out, p, m, v] = [0, 1, 2, 3, 4, 5].map((i) => at(i * (n + 1)));
  const address = (x: Float32Array) => x.byteOffset;

  it('sumPair: float32 sums and their float64 sum of squares', () => {
    a.set(values(n, 3));
    b.set(values(n, 4));
    const squares = k.sumPair(address(a), address(b), address(out), n);
    let expected = 0;
    for (let i = 0; i < n; i++) {
      const x = Math.fround(a[i] + b[i]);
      expect(out[i]).toBe(x);
      expected += x * x;
    }
    expect(Math.abs(squares - expected) / expected).toBeLessThan(1e-12);
  });

  it('adamw: torch.optim.AdamW (the float64 reference kernel) within float32 rounding, over 5 steps with clipping scale and weight decay', () => {
    const ref = { p: Float32Array.from(values(n, 5)), m: new Float32Array(n), v: new Float32Array(n) };
    p.set(ref.p);
    m.fill(0);
    v.fill(0);
    const hyper = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };
    for (let t = 1; t <= 5; t++) {
      const g = values(n, 10 + t);
      const scale = 0.5;
      out.set(g);
      adamwSimd(k, address(p), address(out), address(m), address(v), n, scale, { ...hyper, t });
      const scaled = g.map((x) => x * scale);
      adamwUpdateInto(ref.p, scaled, ref.m, ref.v, ref.p, ref.m, ref.v, { ...hyper, bc1: 1 - hyper.beta1 ** t, bc2: 1 - hyper.beta2 ** t });
    }
    expect(maxRelError(p, ref.p)).toBeLessThan(1e-6);
    expect(maxRelError(m, ref.m)).toBeLessThan(1e-6);
    expect(maxRelError(v, ref.v)).toBeLessThan(1e-6);
    expect(maxRelError(p, values(n, 5))).toBeGreaterThan(1e-3); // it moved
  });

  it('lays out the shared memory in 16-byte aligned regions that do not overlap', () => {
    const layout = sharedLayout(1001, 3);
    const regions = [...layout.grads.map((o) => [o, 1001]), [layout.params, 1001], ...layout.ranks.flatMap((r, i) => [r.summed, r.m, r.v].map((o) => [o, [333, 334, 334][i]!]))];
    for (const [offset] of regions) expect(offset! % 16).toBe(0);
    const sorted = regions.sort((x, y) => x[0]! - y[0]!);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![0]! + sorted[i - 1]![1]! * 4);
    expect(layout.bytes).toBeGreaterThanOrEqual(sorted.at(-1)![0]! + sorted.at(-1)![1]! * 4);
    expect(allocateShared(layout).buffer.byteLength).toBeGreaterThanOrEqual(layout.bytes);
  });
});
