/**
 * One AdamW update of a parameter tensor in a single pass (PyTorch `torch.optim.AdamW` semantics:
 * decoupled weight decay, bias-corrected moments, eps after the square root), computed in float64
 * per element and stored as float32. Writes new arrays; never the inputs (XNNPACK caches packed
 * matMul weights per tensor, so a parameter buffer must never change in place).
 */
export interface AdamWAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1 - beta1^t and 1 - beta2^t for the 1-based step t. */
  bc1: number;
  bc2: number;
}

export function adamwUpdateInto(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, p2: Float32Array, m2: Float32Array, v2: Float32Array, a: AdamWAttrs): void {
  const decay = 1 - a.lr * a.weightDecay;
  const step = a.lr / a.bc1;
  const sqrtBc2 = Math.sqrt(a.bc2);
  const b1 = a.beta1;
  const b2 = a.beta2;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + c1 * gi;
    const vi = b2 * v[i]! + c2 * gi * gi;
    m2[i] = mi;
    v2[i] = vi;
    p2[i] = p[i]! * decay - (mi / (Math.sqrt(vi) / sqrtBc2 + a.eps)) * step;
  }
}
