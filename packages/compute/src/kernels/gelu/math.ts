/**
 * erfc with relative error < 1.2e-7 everywhere (Chebyshev fit, Numerical Recipes §6.2 `erfcc`),
 * i.e. float32-exact GELU in one pass and one `exp`, with no cancellation in either tail.
 */
export function erfc(z: number): number {
  const a = Math.abs(z);
  const t = 1 / (1 + 0.5 * a);
  const r =
    t *
    Math.exp(
      -a * a - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? r : 2 - r;
}

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** GELU, exact (erf) form: x·Φ(x) = ½·x·erfc(−x/√2). */
export function gelu(out: Float32Array, x: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = 0.5 * v * erfc(-v * INV_SQRT2);
  }
}

/** dy · GELU'(x) = dy · (Φ(x) + x·φ(x)). */
export function geluGrad(out: Float32Array, dy: Float32Array, x: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = dy[i] * (0.5 * erfc(-v * INV_SQRT2) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
  }
}
