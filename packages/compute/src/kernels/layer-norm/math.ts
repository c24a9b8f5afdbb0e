/**
 * LayerNorm over the last axis (biased variance, eps inside the square root, as PyTorch) and its
 * backward, one pass per row, accumulating in float64.
 */
import type { JsOutput } from '../js-kernel.ts';

export function layerNormForward(x: Float32Array, gamma: Float32Array, beta: Float32Array, n: number, eps: number): JsOutput[] {
  const rows = x.length / n;
  const y = new Float32Array(x.length);
  const mean = new Float32Array(rows);
  const rstd = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += x[o + j];
    const mu = s / n;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const d = x[o + j] - mu;
      v += d * d;
    }
    const inv = 1 / Math.sqrt(v / n + eps);
    for (let j = 0; j < n; j++) y[o + j] = (x[o + j] - mu) * inv * gamma[j] + beta[j];
    mean[r] = mu;
    rstd[r] = inv;
  }
  return [{ shape: [x.length], values: y }, { shape: [rows], values: mean }, { shape: [rows], values: rstd }];
}

/** dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·γ; dγ = Σ dy·x̂; dβ = Σ dy. */
export function layerNormBackward(dy: Float32Array, x: Float32Array, gamma: Float32Array, mean: Float32Array, rstd: Float32Array, n: number): JsOutput[] {
  const rows = x.length / n;
  const dx = new Float32Array(x.length);
  const dGamma = new Float64Array(n);
  const dBeta = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    const mu = mean[r];
    const inv = rstd[r];
    let sumG = 0;
    let sumGX = 0;
    for (let j = 0; j < n; j++) {
      const xhat = (x[o + j] - mu) * inv;
      const g = dy[o + j] * gamma[j];
      sumG += g;
      sumGX += g * xhat;
      dGamma[j] += dy[o + j] * xhat;
      dBeta[j] += dy[o + j];
    }
    const mG = sumG / n;
    const mGX = sumGX / n;
    for (let j = 0; j < n; j++) {
      const xhat = (x[o + j] - mu) * inv;
      dx[o + j] = inv * (dy[o + j] * gamma[j] - mG - xhat * mGX);
    }
  }
  return [{ shape: [x.length], values: dx }, { shape: [n], values: Float32Array.from(dGamma) }, { shape: [n], values: Float32Array.from(dBeta) }];
}
