/**
 * Sum over LEADING axes (bias gradients: dy [tokens, out] summed over tokens) as a column sum over
 * heap views. tfjs-backend-wasm reduces only the last axis, so it first transposes the whole input.
 * Other reductions keep tfjs's kernel.
 */
import { Sum, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { originalKernel } from '../names.ts';
import { size, type WasmBackendLike } from './heap.ts';

function sum(args: { inputs: { x: TensorInfo }; attrs: { axis: number | number[]; keepDims: boolean }; backend: WasmBackendLike }): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = axes.every((axis, i) => axis === i);
  if (x.dtype !== 'float32' || !leading || axes.length === x.shape.length || axes.length === 0) return originalKernel(Sum)(args as never) as TensorInfo;
  const rows = size(x.shape.slice(0, axes.length));
  const inner = size(x.shape.slice(axes.length));
  const outShape = attrs.keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
  const out = backend.makeOutput(outShape, 'float32');
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  // Accumulate in float64 , then round once.
  const acc = new Float64Array(inner);
  for (let r = 0; r < rows; r++) {
    const base = r * inner;
    for (let j = 0; j < inner; j++) acc[j] += src[base + j];
  }
  dst.set(acc);
  return out;
}

export const sumConfig: KernelConfig = { kernelName: Sum, backendName: 'wasm', kernelFunc: sum as unknown as KernelFunc };
