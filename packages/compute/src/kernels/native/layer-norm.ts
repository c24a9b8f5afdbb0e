/** LayerNorm kernels on wasm through `@tunekit/native` (bit-identical to the JavaScript ones in ../layer-norm/math.ts). */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../wasm/heap.ts';
import { activeNativeKernels } from './select.ts';
import { heapF32, heapIndex } from './heap.ts';

/** [y, mean, rstd] or undefined when native kernels are off (the caller runs the JavaScript kernel). */
export function nativeLayerNormForward(backend: WasmBackendLike, [x, gamma, beta]: TensorInfo[], eps: number): TensorInfo[] | undefined {
  const native = activeNativeKernels();
  if (!native) return undefined;
  const n = gamma.shape[0];
  const size = x.shape.reduce((a, b) => a * b, 1);
  const rows = size / n;
  const outs = [backend.makeOutput([size], 'float32'), backend.makeOutput([rows], 'float32'), backend.makeOutput([rows], 'float32')];
  const at = (info: TensorInfo) => heapIndex(backend, info);
  native.layerNormForward(heapF32(backend), at(x), at(gamma), at(beta), at(outs[0]), at(outs[1]), at(outs[2]), rows, n, eps);
  return outs;
}

/** [dx, dGamma, dBeta] or undefined when native kernels are off. */
export function nativeLayerNormBackward(backend: WasmBackendLike, [dy, x, gamma, mean, rstd]: TensorInfo[]): TensorInfo[] | undefined {
  const native = activeNativeKernels();
  if (!native) return undefined;
  const n = gamma.shape[0];
  const size = x.shape.reduce((a, b) => a * b, 1);
  const outs = [backend.makeOutput([size], 'float32'), backend.makeOutput([n], 'float32'), backend.makeOutput([n], 'float32')];
  const at = (info: TensorInfo) => heapIndex(backend, info);
  native.layerNormBackward(heapF32(backend), at(dy), at(x), at(gamma), at(mean), at(rstd), at(outs[0]), at(outs[1]), at(outs[2]), size / n, n);
  return outs;
}
